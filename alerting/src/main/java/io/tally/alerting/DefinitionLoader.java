package io.tally.alerting;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads definitions from a YAML file or from every {@code *.yaml}/{@code *.yml} file of a directory (not recursive,
 * in name order), with SnakeYAML's safe constructor (plain maps, lists and scalars only; aliases and size bounded).
 * {@link #changed} compares the files' modification times and sizes with the last load, for reload polling.
 * Not thread-safe: one scheduler thread drives it.
 */
public final class DefinitionLoader {
    private static final int MAX_FILE_BYTES = 8 << 20;

    private final Path path;
    private final DefinitionParser parser;
    private Map<Path, String> fingerprints = Map.of();

    public DefinitionLoader(Path path, DefinitionParser parser) {
        this.path = path;
        this.parser = parser;
    }

    /**
     * All definitions of all files; ids must be unique across files.
     *
     * @throws DefinitionException naming the file and field of the first problem (also for unreadable YAML)
     */
    public List<AlertDefinition> load() {
        Map<Path, String> prints = new LinkedHashMap<>();
        List<AlertDefinition> out = new ArrayList<>();
        Map<String, Path> seen = new HashMap<>();
        for (Path f : files()) {
            prints.put(f, fingerprint(f));
            for (AlertDefinition d : parser.parseDocument(read(f), f.toString())) {
                Path other = seen.putIfAbsent(d.id(), f);
                if (other != null) {
                    throw new DefinitionException(f.toString(), "id", "duplicate id '" + d.id() + "' (also in "
                            + other + ")");
                }
                out.add(d);
            }
        }
        fingerprints = prints;
        return out;
    }

    /** True when a file was added, removed or modified since the last {@link #load} (successful or not). */
    public boolean changed() {
        Map<Path, String> now = new LinkedHashMap<>();
        for (Path f : filesQuietly()) {
            now.put(f, fingerprint(f));
        }
        if (now.equals(fingerprints)) {
            return false;
        }
        fingerprints = now; // a bad file is reported once per change, not on every poll
        return true;
    }

    private List<Path> filesQuietly() {
        try {
            return files();
        } catch (DefinitionException e) {
            return List.of();
        }
    }

    private List<Path> files() {
        if (Files.isDirectory(path)) {
            List<Path> out = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(path, "*.{yaml,yml}")) {
                for (Path p : ds) {
                    if (Files.isRegularFile(p)) {
                        out.add(p);
                    }
                }
            } catch (IOException e) {
                throw new DefinitionException(path.toString(), "", "cannot list the directory: " + e.getMessage());
            }
            out.sort(null);
            return out;
        }
        if (!Files.isRegularFile(path)) {
            throw new DefinitionException(path.toString(), "", "no such file or directory");
        }
        return List.of(path);
    }

    private static String fingerprint(Path f) {
        try {
            return Files.getLastModifiedTime(f).toMillis() + ":" + Files.size(f);
        } catch (IOException e) {
            return "missing";
        }
    }

    private static Object read(Path f) {
        try {
            if (Files.size(f) > MAX_FILE_BYTES) {
                throw new DefinitionException(f.toString(), "", "larger than " + MAX_FILE_BYTES + " bytes");
            }
        } catch (IOException e) {
            throw new DefinitionException(f.toString(), "", "cannot read: " + e.getMessage());
        }
        LoaderOptions opts = new LoaderOptions();
        opts.setMaxAliasesForCollections(20);
        opts.setAllowDuplicateKeys(false);
        opts.setCodePointLimit(MAX_FILE_BYTES);
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            return new Yaml(new SafeConstructor(opts)).load(r);
        } catch (YAMLException e) {
            throw new DefinitionException(f.toString(), "", "invalid YAML: " + e.getMessage().replace('\n', ' '));
        } catch (IOException e) {
            throw new DefinitionException(f.toString(), "", "cannot read: " + e.getMessage());
        }
    }
}
