package org.mailhive.api.mail;

/** An RFC 3463 enhanced status code such as {@code 5.1.1}. */
public record EnhancedStatus(int klass, int subject, int detail) {

    public EnhancedStatus {
        if (klass != 2 && klass != 4 && klass != 5) {
            throw new IllegalArgumentException("class must be 2, 4 or 5: " + klass);
        }
        if (subject < 0 || subject > 999 || detail < 0 || detail > 999) {
            throw new IllegalArgumentException("subject/detail out of range");
        }
    }

    public static EnhancedStatus of(int klass, int subject, int detail) {
        return new EnhancedStatus(klass, subject, detail);
    }

    /** Parses {@code 4.2.2}; throws IllegalArgumentException otherwise. */
    public static EnhancedStatus parse(String text) {
        String[] p = text.split("\\.", -1);
        if (p.length != 3) throw new IllegalArgumentException("not an enhanced status code: " + text);
        try {
            return new EnhancedStatus(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an enhanced status code: " + text, e);
        }
    }

    @Override
    public String toString() {
        return klass + "." + subject + "." + detail;
    }
}
