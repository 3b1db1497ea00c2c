package io.tally.query;

/**
 * The {@code format} of a {@code /render} answer (spec §3.1.4) and its content type. {@code png} and {@code svg}
 * are pictures ({@link io.tally.query.graph.GraphRenderer}); {@code pdf} and the legacy chart shapes
 * ({@code dygraph}, {@code rickshaw}) are refused with a 400 that says which formats are served.
 */
public enum RenderFormat {
    JSON("json", "application/json"),
    CSV("csv", "text/csv"),
    RAW("raw", "text/plain"),
    PICKLE("pickle", "application/pickle"),
    MSGPACK("msgpack", "application/x-msgpack"),
    PNG("png", "image/png"),
    SVG("svg", "image/svg+xml");

    private static final String SERVED = "json, csv, raw, pickle, msgpack, png or svg";

    private final String param;
    private final String contentType;

    RenderFormat(String param, String contentType) {
        this.param = param;
        this.contentType = contentType;
    }

    /** The {@code format=} spelling. */
    public String param() {
        return param;
    }

    public String contentType() {
        return contentType;
    }

    /** Whether the answer is a picture drawn from the graph parameters ({@code width}, {@code colorList}, ...). */
    public boolean picture() {
        return this == PNG || this == SVG;
    }

    /**
     * graphite-web's choice: the {@code format} parameter, else {@code rawData} ⇒ raw, {@code pickle} ⇒ pickle,
     * else png.
     *
     * @throws BadRequestException for a format Tally does not serve
     */
    public static RenderFormat of(Params p) {
        String f = p.get("format");
        if (f == null || f.isEmpty()) {
            f = p.has("rawData") ? "raw" : p.has("pickle") ? "pickle" : "png";
        }
        for (RenderFormat r : values()) {
            if (r.param.equals(f)) {
                return r;
            }
        }
        String message = switch (f) {
            case "pdf" -> "format=pdf is not supported: Tally draws pictures as png or svg (use format="
                    + SERVED + ")";
            case "dygraph", "rickshaw" -> "format=" + f + " is not supported (use format=" + SERVED + ")";
            default -> "Unknown format '" + f + "' (use format=" + SERVED + ")";
        };
        throw new BadRequestException(message);
    }
}
