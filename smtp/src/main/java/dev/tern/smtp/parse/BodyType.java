package dev.tern.smtp.parse;

/** The {@code BODY=} MAIL parameter: RFC 6152 (8BITMIME) and RFC 3030 §3 (BINARYMIME). */
public enum BodyType {
    SEVEN_BIT("7BIT"),
    EIGHT_BIT_MIME("8BITMIME"),
    BINARY_MIME("BINARYMIME");

    private final String keyword;

    BodyType(String keyword) {
        this.keyword = keyword;
    }

    /** The value as written on the wire. */
    public String keyword() {
        return keyword;
    }

    /** The type for a wire value (any case), or {@code null} when it is not one of the three. */
    public static BodyType fromKeyword(String value) {
        for (BodyType type : values()) {
            if (type.keyword.equalsIgnoreCase(value)) {
                return type;
            }
        }
        return null;
    }
}
