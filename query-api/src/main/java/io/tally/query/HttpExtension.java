package io.tally.query;

import io.vertx.ext.web.Router;

/**
 * Routes another module adds to Tally's HTTP server (alerting's API and Nagios endpoints, the web pages), so one
 * port serves everything. {@link #mount} is called once while the server starts, on its event loop, after the
 * Graphite routes and before the failure handler; the routes it adds must not block the event loop (use
 * {@link HttpHost#workers()} for storage, disk or evaluation work).
 */
@FunctionalInterface
public interface HttpExtension {

    void mount(Router router, HttpHost host);
}
