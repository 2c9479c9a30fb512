package org.tessexo.common.config;

import org.tessexo.common.errors.UserException;

/**
 * Prints the help a command line asks for, without Spark: {@code submit.sh} runs this class for {@code --help}, so
 * that help appears at once instead of after Spark's start-up. {@code Help search} or {@code Help search --help}
 * gives the command's own help; anything else the overview.
 */
public final class Help {
    private Help() {
    }

    public static void main(String[] args) {
        String text;
        try {
            CommandLineArgs cli = CommandLineArgs.parse(args.length == 0 ? new String[] {"--help"} : args);
            text = cli.helpText();
        } catch (UserException e) {
            text = e.getMessage();
        }
        System.out.println(text);
    }
}
