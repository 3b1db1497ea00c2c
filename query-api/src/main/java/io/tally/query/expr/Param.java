package io.tally.query.expr;

import java.util.List;

/**
 * One declared parameter of a render function, as {@code /functions} describes it.
 *
 * @param defaultValue shown as {@code default} (null: none); a {@link Long}, {@link Double}, {@link String} or
 *                     {@link Boolean}
 * @param multiple     takes all remaining positional arguments ({@code *args})
 * @param options      the allowed values (empty: any)
 * @param suggestions  values an editor may offer (empty: none)
 */
public record Param(String name, ParamType type, boolean required, Object defaultValue, boolean multiple,
                    List<Object> options, List<Object> suggestions) {

    public Param {
        // unmodifiable copies that allow null (smartSummarize's alignTo lists None among its options)
        options = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(options));
        suggestions = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(suggestions));
    }

    public static Param required(String name, ParamType type) {
        return new Param(name, type, true, null, false, List.of(), List.of());
    }

    public static Param optional(String name, ParamType type) {
        return new Param(name, type, false, null, false, List.of(), List.of());
    }

    public static Param optional(String name, ParamType type, Object defaultValue) {
        return new Param(name, type, false, defaultValue, false, List.of(), List.of());
    }

    public Param asMultiple() {
        return new Param(name, type, required, defaultValue, true, options, suggestions);
    }

    public Param withName(String newName) {
        return new Param(newName, type, required, defaultValue, multiple, options, suggestions);
    }

    public Param asOptional() {
        return new Param(name, type, false, defaultValue, multiple, options, suggestions);
    }

    public Param withOptions(List<?> values) {
        return new Param(name, type, required, defaultValue, multiple, new java.util.ArrayList<>(values), suggestions);
    }

    public Param withSuggestions(Object... values) {
        return new Param(name, type, required, defaultValue, multiple, options, java.util.Arrays.asList(values));
    }
}
