package org.tessexo.common.config;

import org.junit.jupiter.api.Test;

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
}
