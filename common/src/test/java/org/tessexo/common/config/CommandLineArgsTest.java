package org.tessexo.common.config;

import org.junit.jupiter.api.Test;
import org.tessexo.common.errors.UserException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineArgsTest {
    @Test
    void parsesCommandOptionsAndOverrides() {
        CommandLineArgs a = CommandLineArgs.parse(new String[] {"train", "--input", "s3a://b/p/", "--output=out/x",
                "--labels", "l.csv", "--conf", "conf/local.conf", "training.epochs=3"});
        assertEquals(CommandLineArgs.Command.TRAIN, a.command());
        assertEquals("s3a://b/p/", a.input());
        assertEquals("out/x", a.output());
        assertEquals("l.csv", a.labels());
        assertEquals("conf/local.conf", a.confFile());
        assertEquals(List.of("training.epochs=3"), a.overrides());
    }

    @Test
    void mistakesAreUserErrors() {
        assertThrows(UserException.class, () -> CommandLineArgs.parse(new String[] {}));
        UserException e = assertThrows(UserException.class, () -> CommandLineArgs.parse(new String[] {"trian"}));
        assertTrue(e.getMessage().contains("Usage"));
        assertThrows(UserException.class, () -> CommandLineArgs.parse(new String[] {"train", "--inptu", "x"}));
        assertThrows(UserException.class, () -> CommandLineArgs.parse(new String[] {"train", "--input"}));
        assertThrows(UserException.class, () -> CommandLineArgs.parse(new String[] {"train", "stray"}));
    }

    @Test
    void overwriteAndResume() {
        CommandLineArgs a = CommandLineArgs.parse(new String[] {"train", "--resume", "--overwrite"});
        assertTrue(a.resume() && a.overwrite());
        CommandLineArgs plain = CommandLineArgs.parse(new String[] {"inspect"});
        assertTrue(!plain.resume() && !plain.overwrite());
        assertThrows(UserException.class, () -> CommandLineArgs.parse(new String[] {"inspect", "--resume"}));
    }

    @Test
    void eachCommandHasItsOwnHelpWithItsSettingsAndTheirDefaults() {
        CommandLineArgs search = CommandLineArgs.parse(new String[] {"search", "--help"});
        org.junit.jupiter.api.Assertions.assertTrue(search.help());
        String text = search.helpText();
        org.junit.jupiter.api.Assertions.assertTrue(text.startsWith("Usage: ./submit.sh search"), text);
        org.junit.jupiter.api.Assertions.assertTrue(text.contains("tess.search.max-periods = 300000"), text);
        org.junit.jupiter.api.Assertions.assertFalse(text.contains("tess.training."), "train's keys are train's");
        String train = CommandLineArgs.parse(new String[] {"help", "train"}).helpText();
        org.junit.jupiter.api.Assertions.assertTrue(train.contains("tess.training.epochs = 10"), train);
        org.junit.jupiter.api.Assertions.assertEquals(CommandLineArgs.USAGE,
                CommandLineArgs.parse(new String[] {"--help"}).helpText());
        for (CommandLineArgs.Command c : CommandLineArgs.Command.values()) {
            org.junit.jupiter.api.Assertions.assertTrue(CommandLineArgs.help(c).contains("Reads:"), c.label());
        }
    }

    @Test
    void strictIsASettingOverride() {
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("failures.strict=true"),
                CommandLineArgs.parse(new String[] {"inspect", "--strict"}).overrides());
    }
}
