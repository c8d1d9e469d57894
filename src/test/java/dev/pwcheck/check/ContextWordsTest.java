package dev.pwcheck.check;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The context-word comparison on its own: normal forms, the words a value gives, and one edit. */
class ContextWordsTest {

    @Test
    void leetspeakCaseAndSurroundingDigitsAndPunctuationAreUndone() {
        assertTrue(ContextWords.forms("P@ssw0rd").contains("password"));
        assertTrue(ContextWords.forms("Rubygem5").contains("rubygems"));
        assertTrue(ContextWords.forms("rubygems123").contains("rubygems"));
        assertTrue(ContextWords.forms("!!Gem-Cutter2024").contains("gem-cutter"));
    }

    @Test
    void aValueGivesItselfAndItsPartsOfFourOrMoreCharacters() {
        assertEquals(List.of("jane.smith", "jane", "smith"), ContextWords.wordsOf("Jane.Smith"));
        assertEquals(List.of(), ContextWords.wordsOf("bob"), "too short to refuse anything");
    }

    @Test
    void oneEditIsAnInsertionADeletionOrASubstitution() {
        assertTrue(ContextWords.withinOneEdit("rubygems", "rubygems"));
        assertTrue(ContextWords.withinOneEdit("rubygem", "rubygems"));
        assertTrue(ContextWords.withinOneEdit("rubygemss", "rubygems"));
        assertTrue(ContextWords.withinOneEdit("rubygemz", "rubygems"));
        assertTrue(ContextWords.withinOneEdit("xrubygems", "rubygems"));
        assertFalse(ContextWords.withinOneEdit("rubygemzz", "rubygems"));
        assertFalse(ContextWords.withinOneEdit("urbygems", "rubygems"), "a transposition is two edits");
    }

    @Test
    void onlyTheWholePasswordIsCompared() {
        List<String> words = ContextWords.wordsOf("gemcutter");
        assertTrue(ContextWords.matches(ContextWords.forms("G3mcutter!!"), words));
        assertFalse(ContextWords.matches(ContextWords.forms("my gemcutter password is long"), words));
    }
}
