package io.tally.alerting;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.List;
import java.util.Map;

/** Definitions from YAML text, for tests. */
final class Defs {
    static final DefinitionParser PARSER = new DefinitionParser(AlertingConfig.Limits.defaults());

    private Defs() {
    }

    static List<AlertDefinition> doc(String yaml) {
        return PARSER.parseDocument(new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml), "test.yaml");
    }

    /** One alert from the YAML of its mapping. */
    @SuppressWarnings("unchecked")
    static AlertDefinition one(String yaml) {
        Map<String, Object> m = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        return PARSER.parseAlert(m, "test.yaml", "");
    }
}
