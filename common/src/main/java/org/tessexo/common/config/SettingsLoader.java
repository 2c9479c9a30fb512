package org.tessexo.common.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import org.tessexo.common.errors.UserException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Layers the pipeline's configuration once, on the driver: {@code key=value} overrides over a user file over the
 * defaults in {@code reference.conf}, then validates the result and maps it into an immutable {@link PipelineSettings}.
 * Keys the reference does not know are rejected with their names, so a typo never silently falls back to a default.
 * Only the {@code tess} tree is validated; everything else in a user file is ignored with a warning by the caller.
 */
public final class SettingsLoader {
    public static final String ROOT = "tess";

    private SettingsLoader() {
    }

    /** The defaults alone, as shipped in the jar. */
    public static Config reference() {
        return ConfigFactory.parseResources(SettingsLoader.class.getClassLoader(), "reference.conf",
                        ConfigParseOptions.defaults().setAllowMissing(false))
                .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(true));
    }

    /**
     * @param userFileText the text of the {@code --conf} file (HOCON), or null
     * @param userFileName its name, for messages
     * @param overrides    {@code key=value} arguments; keys may leave out the {@code tess.} prefix
     */
    public static PipelineSettings load(String userFileText, String userFileName, List<String> overrides) {
        return load(userFileText, userFileName, overrides, false);
    }

    /**
     * @param demo layer {@code tess.demo.settings} between the defaults and the user's settings (the demo command)
     */
    public static PipelineSettings load(String userFileText, String userFileName, List<String> overrides,
                                        boolean demo) {
        return settings(merged(userFileText, userFileName, overrides, demo));
    }

    /**
     * The whole {@code tess} tree, checked as {@link #load} checks it, for a program with sections of its own
     * beside the pipeline's (the HTTP server's {@code tess.serve}); {@link #settings} makes the pipeline's of it.
     */
    public static Config tree(String userFileText, String userFileName, List<String> overrides) {
        return merged(userFileText, userFileName, overrides, false).getConfig(ROOT);
    }

    /** The pipeline's settings of a {@link #tree}'s root, or of a merged configuration. */
    public static PipelineSettings settings(Config merged) {
        Config tess = merged.hasPath(ROOT) ? merged.getConfig(ROOT) : merged;
        try {
            return PipelineSettings.from(tess);
        } catch (ConfigException e) {
            throw new UserException("Bad configuration: " + e.getMessage(), e);
        }
    }

    private static Config merged(String userFileText, String userFileName, List<String> overrides, boolean demo) {
        Config reference = reference();
        Config layered = ConfigFactory.empty();
        for (String kv : overrides) { // a key given twice: the later one wins, as on any command line
            layered = parseOverride(kv).withFallback(layered);
        }
        if (userFileText != null) {
            Config file;
            try {
                file = ConfigFactory.parseString(userFileText,
                        ConfigParseOptions.defaults().setOriginDescription(userFileName).setSyntax(ConfigSyntax.CONF));
            } catch (ConfigException e) {
                throw new UserException("Cannot parse configuration file " + userFileName + ": " + e.getMessage(), e);
            }
            layered = layered.withFallback(file);
        }
        rejectUnknownKeys(layered, reference);
        Config merged;
        try {
            Config base = reference;
            if (demo) {
                Config demoLayer = layered.withFallback(reference).resolve().getConfig(ROOT + ".demo.settings");
                rejectUnknownKeys(demoLayer.atPath(ROOT), reference);
                base = demoLayer.atPath(ROOT).withFallback(reference);
            }
            merged = layered.withFallback(base).resolve();
            merged.checkValid(reference, ROOT);
        } catch (ConfigException e) {
            throw new UserException("Bad configuration: " + e.getMessage()
                    + ". See conf/ and the README's configuration section for the expected keys and types.", e);
        }
        return merged;
    }

    static Config parseOverride(String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw new UserException("Expected key=value, got '" + kv + "'");
        }
        String key = kv.substring(0, eq).trim();
        String value = kv.substring(eq + 1).trim();
        if (!key.startsWith(ROOT + ".")) {
            key = ROOT + "." + key;
        }
        try {
            // Parse the value as HOCON so lists and numbers keep their types; a plain word stays a string.
            return ConfigFactory.parseString(quoteKey(key) + " = " + hoconValue(value));
        } catch (ConfigException e) {
            throw new UserException("Cannot parse the override '" + kv + "': " + e.getMessage(), e);
        }
    }

    private static String quoteKey(String key) {
        StringBuilder sb = new StringBuilder();
        for (String part : key.split("\\.", -1)) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append('"').append(part.replace("\"", "\\\"")).append('"');
        }
        return sb.toString();
    }

    private static String hoconValue(String value) {
        if (value.startsWith("[") || value.startsWith("{") || value.startsWith("\"")) {
            return value;
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void rejectUnknownKeys(Config user, Config reference) {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(ROOT + ".")) {
                continue; // other trees (spark settings in a shared file) are not ours to judge
            }
            if (!reference.hasPathOrNull(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new UserException("Unknown configuration key" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", new TreeSet<>(unknown)) + ". Known keys under the same section: "
                    + siblings(unknown.get(0), reference) + ".");
        }
    }

    private static String siblings(String key, Config reference) {
        int dot = key.lastIndexOf('.');
        String parent = dot > 0 ? key.substring(0, dot) : ROOT;
        if (!reference.hasPath(parent)) {
            parent = ROOT;
        }
        try {
            return String.join(", ", new TreeSet<>(reference.getObject(parent).keySet()));
        } catch (ConfigException e) {
            return "(see reference.conf)";
        }
    }
}
