package dev.tern.ingress.text;

/** Per-message string clean-up without regular expressions (these run for every inbound message). */
public final class CharRuns {

    private CharRuns() {
    }

    /** {@code s} with each run of the characters in {@code chars} replaced by one space. */
    public static String collapse(String s, String chars) {
        var out = new StringBuilder(s.length());
        boolean inRun = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean matches = chars.indexOf(c) >= 0;
            if (!matches) {
                out.append(c);
            } else if (!inRun) {
                out.append(' ');
            }
            inRun = matches;
        }
        return out.toString();
    }
}
