package org.mailhive.admin.internal;

/**
 * One attribute of a configuration as its metatype declares it ({@code <AD>}).
 *
 * @param id          the key in the .cfg file
 * @param type        the AD type: String, Integer, Long, Boolean, Password, ...
 * @param cardinality 0 for a single value, else the most values allowed
 * @param defaultValue the default, already unescaped (may be empty, never null)
 * @param description one line for the operator
 */
public record Param(String id, String type, int cardinality, String defaultValue, String description) {

    public Param {
        type = type == null || type.isEmpty() ? "String" : type;
        defaultValue = defaultValue == null ? "" : defaultValue;
        description = description == null ? "" : description;
    }
}
