package dev.tern.common.policy;

/**
 * The policy file is invalid. {@link #key()} is the dotted path of the offending key
 * ({@code destinations.gmail.com.rate}) so the operator can find it; the message starts with it.
 */
public class PolicyException extends RuntimeException {

    private final String key;

    public PolicyException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
