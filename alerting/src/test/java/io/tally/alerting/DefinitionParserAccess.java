package io.tally.alerting;

import java.util.List;

/** Test access: parse a definitions document from YAML text. */
public final class DefinitionParserAccess {
    private DefinitionParserAccess() {
    }

    public static List<AlertDefinition> parse(String yaml) {
        return Defs.doc(yaml);
    }
}
