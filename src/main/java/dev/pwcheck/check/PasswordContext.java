package dev.pwcheck.check;

/**
 * What the request says about the person the password is for, to refuse passwords made of it. Held only while the
 * request is parsed and the rules applied; never logged, counted, sent upstream or answered back.
 */
record PasswordContext(String username, String email, String name) {

    static final PasswordContext NONE = new PasswordContext(null, null, null);

    /** The local part of the e-mail address (before its last {@code @}), or null. */
    String emailLocalPart() {
        if (email == null) {
            return null;
        }
        int at = email.lastIndexOf('@');
        return at > 0 ? email.substring(0, at) : email;
    }

    @Override
    public String toString() {
        return "PasswordContext[redacted]";
    }
}
