package org.homeiq.deploy.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.homeiq.deploy.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DotenvTest {
    private static final String SECRET = "Zx81-secret-value";

    @Test
    void readsTheSyntaxBothComposeVersionsShare() {
        Dotenv env = Dotenv.parse("t.env", String.join("\n",
                "\uFEFF# comment",
                "",
                "PLAIN=abc def   # trailing comment",
                "export EXPORTED=yes",
                "  SPACED  =  padded  ",
                "SINGLE='lit \\n $X # not a comment'",
                "DOUBLE=\"a \\\"q\\\" \\\\ \\n b\" # comment",
                "EMPTY=",
                "HASH=abc#def",
                "EQUALS=a=b==",
                "CRLF=x\r",
                ""));
        assertEquals(List.of("PLAIN", "EXPORTED", "SPACED", "SINGLE", "DOUBLE", "EMPTY", "HASH", "EQUALS", "CRLF"),
                env.entries().stream().map(Dotenv.Entry::key).toList());
        assertEquals("abc def", value(env, "PLAIN"));
        assertEquals("yes", value(env, "EXPORTED"));
        assertEquals("padded", value(env, "SPACED"));
        assertEquals("lit \\n $X # not a comment", value(env, "SINGLE"));
        assertEquals("a \"q\" \\ \n b", value(env, "DOUBLE"));
        assertEquals("", value(env, "EMPTY"));
        assertEquals("abc#def", value(env, "HASH"));
        assertEquals("a=b==", value(env, "EQUALS"));
        assertEquals("x", value(env, "CRLF"));
        assertEquals(3, env.get("PLAIN").orElseThrow().line());
        assertEquals(11, env.get("CRLF").orElseThrow().line());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no equals sign           | " + SECRET + "                  | no '='",
        "invalid name             | 9" + SECRET + "=x               | not a valid variable name",
        "name with a dash         | MY-KEY=" + SECRET + "           | not a valid variable name",
        "base64 line              | " + SECRET + "==                | not a valid variable name",
        "unclosed double quote    | KEY=\"" + SECRET + "            | double quote that opens the value is never closed",
        "unclosed single quote    | KEY='" + SECRET + "             | single quote that opens the value is never closed",
        "text after closing quote | KEY='" + SECRET + "'" + SECRET + " | unexpected text after the closing quote",
    })
    void malformedLineNamesFileAndLineButNeverTheValue(String what, String line, String expected) {
        String text = "OK=1\n# comment\n" + line + "\nLATER=2\n";
        var ex = assertThrows(BadInputException.class, () -> Dotenv.parse("/srv/homeiq/.env", text));
        assertTrue(ex.getMessage().startsWith("/srv/homeiq/.env:3: "), ex.getMessage());
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
        assertFalse(ex.getMessage().contains(SECRET), ex.getMessage());
        assertFalse(ex.getMessage().contains("Zx81"), ex.getMessage());
    }

    @Test
    void duplicateKeyNamesBothLines() {
        var ex = assertThrows(BadInputException.class,
                () -> Dotenv.parse("x.env", "API_KEY=" + SECRET + "\n\nAPI_KEY=other-" + SECRET + "\n"));
        assertEquals("x.env:3: API_KEY is set twice (first on line 1)", ex.getMessage());
    }

    @Test
    void everyBadLineIsReportedAndGoodValuesAreStillSeen() {
        var seen = new ArrayList<String>();
        var ex = assertThrows(BadInputException.class, () -> Dotenv.parse("x.env",
                "A=" + SECRET + "\nbroken\nB=\"open\n", e -> seen.add(e.value())));
        assertTrue(ex.getMessage().contains("x.env:2: "), ex.getMessage());
        assertTrue(ex.getMessage().contains("x.env:3: "), ex.getMessage());
        assertEquals(List.of(SECRET), seen);
    }

    @Test
    void entryToStringHidesTheValue() {
        Dotenv env = Dotenv.parse("x", "API_KEY=" + SECRET);
        assertFalse(env.entries().toString().contains(SECRET));
    }

    private static String value(Dotenv env, String key) {
        return env.get(key).orElseThrow().value();
    }
}
