package io.tally.dashboards;

import io.tally.query.HttpExtension;
import io.tally.query.HttpHost;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves Tally's own web pages (alert board, metric browser, graph page, status page) from this module's
 * resources, on the same port as the Graphite API.
 *
 * <p>Design: every file is read from the classpath once, at construction, from a fixed list ({@link #PAGES},
 * {@link #ASSETS}); a request only looks its name up in that map, so no part of a URL ever reaches a file path.
 * Pages are HTML with two placeholders filled at load time: {@code {{nav}}} (the shared navigation, the current page
 * marked) and {@code {{v}}} (the asset version, a hash over all assets). Assets are therefore addressed as
 * {@code /ui/assets/<name>?v=<version>} and, when the version matches, cached for a year as immutable; pages are
 * revalidated every time ({@code no-cache}) with a strong ETag, so a new Tally build is picked up on the next load.
 * Every answer carries a strict Content-Security-Policy (scripts and styles from this origin only, no inline code).
 *
 * <p>Threading: immutable after construction; handlers run on the event loop and never block (all bytes are in
 * memory).
 */
public final class PagesExtension implements HttpExtension {
    /** Where the pages live; {@code /} serves the status page. */
    public static final String PREFIX = "/ui";
    private static final String RESOURCE_DIR = "io/tally/dashboards/pages/";

    /** page route (under {@link #PREFIX}) → file and nav label. */
    private static final List<PageDef> PAGES = List.of(
            new PageDef("alerts", "alerts.html", "Alerts"),
            new PageDef("browse", "browse.html", "Metrics"),
            new PageDef("graph", "graph.html", "Graph"),
            new PageDef("status", "status.html", "Status"));
    private static final List<String> ASSETS = List.of(
            "tally.css", "common.js", "chart.js", "alerts.js", "browse.js", "graph.js", "status.js", "favicon.svg");

    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
            + " connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'";
    private static final String ASSET_CACHE = "public, max-age=31536000, immutable";
    private static final String REVALIDATE = "no-cache";

    private final String version;
    private final Map<String, Resource> pages;
    private final Map<String, Resource> assets;

    public PagesExtension() {
        Map<String, byte[]> raw = new LinkedHashMap<>();
        for (String name : ASSETS) {
            raw.put(name, load(name));
        }
        this.version = hash(raw.values()).substring(0, 12);
        Map<String, Resource> a = new LinkedHashMap<>();
        raw.forEach((name, bytes) -> a.put(name, new Resource(bytes, contentType(name))));
        this.assets = Map.copyOf(a);
        Map<String, Resource> p = new LinkedHashMap<>();
        for (PageDef page : PAGES) {
            String html = new String(load(page.file), StandardCharsets.UTF_8)
                    .replace("{{nav}}", nav(page.route))
                    .replace("{{v}}", version);
            p.put(page.route, new Resource(html.getBytes(StandardCharsets.UTF_8), contentType(page.file)));
        }
        this.pages = Map.copyOf(p);
    }

    /** The asset version the pages reference ({@code ?v=}); changes whenever any asset's bytes change. */
    public String version() {
        return version;
    }

    /** The page routes, for links and tests: {@code /ui/alerts}, {@code /ui/browse}, ... */
    public static List<String> pagePaths() {
        return PAGES.stream().map(p -> PREFIX + "/" + p.route).toList();
    }

    @Override
    public void mount(Router router, HttpHost host) {
        get(router, "/", ctx -> send(ctx, pages.get("status"), REVALIDATE));
        get(router, PREFIX, ctx -> send(ctx, pages.get("status"), REVALIDATE));
        get(router, PREFIX + "/", ctx -> send(ctx, pages.get("status"), REVALIDATE));
        get(router, PREFIX + "/:page", this::page);
        get(router, PREFIX + "/assets/:name", this::asset);
        get(router, "/favicon.ico", ctx -> send(ctx, assets.get("favicon.svg"), "public, max-age=86400"));
    }

    private static void get(Router router, String path, Handler<RoutingContext> handler) {
        router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(handler);
    }

    private void page(RoutingContext ctx) {
        String name = ctx.pathParam("page");
        if (name.endsWith(".html")) {
            name = name.substring(0, name.length() - 5);
        }
        Resource r = pages.get(name);
        if (r == null) {
            notFound(ctx);
            return;
        }
        send(ctx, r, REVALIDATE);
    }

    private void asset(RoutingContext ctx) {
        Resource r = assets.get(ctx.pathParam("name"));
        if (r == null) {
            notFound(ctx);
            return;
        }
        // only the current version may be cached for good; an old or missing ?v= revalidates
        boolean current = version.equals(ctx.request().getParam("v"));
        send(ctx, r, current ? ASSET_CACHE : REVALIDATE);
    }

    private static void send(RoutingContext ctx, Resource r, String cacheControl) {
        HttpServerRequest req = ctx.request();
        HttpServerResponse res = ctx.response();
        headers(res).putHeader("Cache-Control", cacheControl).putHeader("ETag", r.etag);
        if (matches(req.getHeader("If-None-Match"), r.etag)) {
            res.setStatusCode(304).end();
            return;
        }
        res.putHeader("Content-Type", r.contentType);
        if (req.method() == HttpMethod.HEAD) {
            res.putHeader("Content-Length", Integer.toString(r.bytes.length())).end();
        } else {
            res.end(r.bytes);
        }
    }

    private static void notFound(RoutingContext ctx) {
        headers(ctx.response()).setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("Cache-Control", "no-store").end("no such page\n");
    }

    private static HttpServerResponse headers(HttpServerResponse res) {
        return res.putHeader("Content-Security-Policy", CSP)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "same-origin");
    }

    /** True when an If-None-Match list names {@code etag} (or is {@code *}). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals(etag) || c.equals("*")) {
                return true;
            }
        }
        return false;
    }

    private static String nav(String current) {
        StringBuilder b = new StringBuilder("<nav class=\"nav\"><a class=\"brand\" href=\"").append(PREFIX)
                .append("/status\">Tally</a>");
        for (PageDef p : PAGES) {
            b.append("<a href=\"").append(PREFIX).append('/').append(p.route).append('"');
            if (p.route.equals(current)) {
                b.append(" aria-current=\"page\"");
            }
            b.append('>').append(p.label).append("</a>");
        }
        return b.append("</nav>").toString();
    }

    static String contentType(String file) {
        int dot = file.lastIndexOf('.');
        return switch (dot < 0 ? "" : file.substring(dot + 1)) {
            case "html" -> "text/html; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "svg" -> "image/svg+xml";
            default -> throw new IllegalArgumentException("no content type for " + file);
        };
    }

    private static byte[] load(String name) {
        String path = RESOURCE_DIR + name;
        try (InputStream in = PagesExtension.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing page resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading page resource " + path, e);
        }
    }

    private static String hash(Iterable<byte[]> parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                d.update(p);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    private record PageDef(String route, String file, String label) {
    }

    /** One file's bytes, type and strong ETag. */
    private static final class Resource {
        final Buffer bytes;
        final String contentType;
        final String etag;

        Resource(byte[] bytes, String contentType) {
            this.bytes = Buffer.buffer(bytes);
            this.contentType = contentType;
            this.etag = '"' + hash(List.of(bytes)).substring(0, 20) + '"';
        }
    }
}
