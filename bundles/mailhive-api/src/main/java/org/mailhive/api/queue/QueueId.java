package org.mailhive.api.queue;

/** A queue id such as {@code 3F2A9C1B07}: upper-case hex, unique within one queue directory. */
public record QueueId(String value) {

    public QueueId {
        if (value == null || value.isEmpty() || value.length() > 32) {
            throw new IllegalArgumentException("bad queue id");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) {
                throw new IllegalArgumentException("bad queue id: " + value);
            }
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
