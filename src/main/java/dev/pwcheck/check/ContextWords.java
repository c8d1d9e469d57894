package dev.pwcheck.check;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a password is, as a whole, one of a few words that must not be passwords here (the service's own name, the
 * user's name, username and e-mail local part), the way a person disguises one: case, the common letter-for-symbol
 * substitutions (0→o 1→l 3→e 4→a @→a 5→s $→s 7→t, undone) and digits or punctuation around it, and within one
 * edit (a letter added, dropped or changed). NIST SP 800-63B-4 asks for this comparison on the whole password only:
 * a long passphrase that merely contains the username is a good password.
 */
final class ContextWords {

    /** Words shorter than this (after normalizing) would refuse too much ("bob" is one edit from many passwords). */
    static final int MIN_WORD_CHARS = 4;

    private ContextWords() {
    }

    /**
     * The forms a value is compared in: stripped of leading and trailing digits and punctuation and then un-leeted,
     * and un-leeted and then stripped (so that {@code rubygems123} and {@code Rubygem5} both come back to
     * {@code rubygems}).
     */
    static List<String> forms(String value) {
        String folded = Normalizer.normalize(value, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        List<String> forms = new ArrayList<>(2);
        String a = unleet(strip(folded));
        String b = strip(unleet(folded));
        forms.add(a);
        if (!b.equals(a)) {
            forms.add(b);
        }
        return forms;
    }

    /** The words a context value contributes: the whole value and each of its parts split at non-letters and non-digits. */
    static List<String> wordsOf(String value) {
        List<String> words = new ArrayList<>();
        for (String form : forms(value)) {
            addIfLongEnough(words, form);
        }
        for (String part : value.split("[^\\p{L}\\p{N}@$]+")) {
            if (!part.equals(value)) {
                for (String form : forms(part)) {
                    addIfLongEnough(words, form);
                }
            }
        }
        return words;
    }

    private static void addIfLongEnough(List<String> words, String word) {
        if (word.codePointCount(0, word.length()) >= MIN_WORD_CHARS && !words.contains(word)) {
            words.add(word);
        }
    }

    /** True when a form of {@code password} equals, or is within one edit of, one of {@code words}. */
    static boolean matches(List<String> passwordForms, List<String> words) {
        for (String form : passwordForms) {
            for (String word : words) {
                if (withinOneEdit(form, word)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String strip(String s) {
        int from = 0;
        int to = s.length();
        // Digits, punctuation, symbols and spaces: everything but letters.
        while (from < to && !Character.isLetter(s.charAt(from))) {
            from++;
        }
        while (to > from && !Character.isLetter(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    private static String unleet(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(switch (c) {
                case '0' -> 'o';
                case '1' -> 'l';
                case '3' -> 'e';
                case '4', '@' -> 'a';
                case '5', '$' -> 's';
                case '7' -> 't';
                default -> c;
            });
        }
        return out.toString();
    }

    /** Levenshtein distance at most 1, in one pass. */
    static boolean withinOneEdit(String a, String b) {
        int la = a.length();
        int lb = b.length();
        if (Math.abs(la - lb) > 1) {
            return false;
        }
        if (la > lb) {
            return withinOneEdit(b, a);
        }
        int i = 0;
        while (i < la && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        if (i == la) {
            return true; // equal, or b has one more character at the end
        }
        return la == lb ? a.regionMatches(i + 1, b, i + 1, la - i - 1) : a.regionMatches(i, b, i + 1, la - i);
    }
}
