package org.tessexo.serve;

import com.typesafe.config.Config;
import org.tessexo.common.config.CommandLineArgs;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.config.SettingsLoader;
import org.tessexo.common.errors.UserException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code ./submit.sh serve --model URI [--vetter URI] [--port N] [--host H] [--conf FILE] [key=value ...]}: starts
 * the HTTP server and serves until stopped (SIGTERM or Ctrl-C: requests in flight finish first). Exit status as the
 * batch jobs': 2 a user error (a bad option, a model that cannot be read), 1 a failure.
 */
public final class ServeMain {
    private ServeMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        TessServer server;
        try {
            String[] withCommand = args.length > 0 && args[0].equals("serve") ? args : prepend(args);
            CommandLineArgs cli = CommandLineArgs.parse(withCommand);
            if (cli.help()) {
                System.out.println(cli.helpText());
                return 0;
            }
            if (cli.input() != null || cli.output() != null || cli.labels() != null) {
                throw new UserException("serve takes no --input, --output or --labels: files come in requests.\n"
                        + CommandLineArgs.help(CommandLineArgs.Command.SERVE));
            }
            String confText = null;
            if (cli.confFile() != null) {
                try {
                    confText = Files.readString(Path.of(cli.confFile()), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UserException("Cannot read --conf " + cli.confFile() + ": " + e.getMessage(), e);
                }
            }
            Config tree = SettingsLoader.tree(confText, cli.confFile(), cli.overrides());
            PipelineSettings pipeline = SettingsLoader.settings(tree);
            ServeSettings serve = ServeSettings.from(tree.getConfig("serve"));
            try {
                server = new TessServer(serve, pipeline);
            } catch (IOException e) {
                throw new UserException("Cannot load the models: " + e.getMessage() + ". Give --model a model.zip"
                        + " written by train (or a registry folder written by retrain), --vetter a vetter.zip or"
                        + " none.", e);
            }
        } catch (UserException e) {
            System.err.println("Error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("Error: the server did not start: " + e);
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (RuntimeException e) {
                System.err.println("Error while stopping: " + e.getMessage());
            }
        }, "tess-serve-stop"));
        try {
            server.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
        return 0;
    }

    private static String[] prepend(String[] args) {
        String[] a = new String[args.length + 1];
        a[0] = "serve";
        System.arraycopy(args, 0, a, 1, args.length);
        return a;
    }
}
