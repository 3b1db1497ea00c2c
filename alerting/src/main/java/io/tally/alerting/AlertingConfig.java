package io.tally.alerting;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the alerting service.
 *
 * @param alertsPath          a YAML file or a directory of {@code *.yaml}/{@code *.yml} files ({@code --alerts}); null:
 *                            only definitions made through the API
 * @param reloadSeconds       how often the files' modification times are polled; 0 disables reloading
 * @param evalThreads         threads of the evaluation pool ({@code tally-alert-eval-N})
 * @param evaluateAllRegions  evaluate the instances of every region (a central Tally that stores all regions);
 *                            false: only this node's region, as spec 4.1 point 4 prescribes
 * @param webhooks            named webhook URLs that {@code notify: [{ref: NAME}]} entries refer to
 * @param apiBaseUrl          this Tally's public base URL, put into notifications as a link (may be empty)
 * @param webhookTimeoutMillis timeout of one webhook POST
 * @param webhookAttempts     attempts per notification (first try included), with doubling backoff
 * @param webhookBackoffMillis first backoff between attempts
 * @param limits              what a definition may ask for
 */
public record AlertingConfig(Path alertsPath, long reloadSeconds, int evalThreads, boolean evaluateAllRegions,
                             Map<String, String> webhooks, String apiBaseUrl, long webhookTimeoutMillis,
                             int webhookAttempts, long webhookBackoffMillis, Limits limits) {

    public AlertingConfig {
        webhooks = Map.copyOf(webhooks);
        apiBaseUrl = apiBaseUrl == null ? "" : apiBaseUrl;
        Objects.requireNonNull(limits, "limits");
        if (evalThreads < 1 || webhookAttempts < 1 || reloadSeconds < 0 || webhookTimeoutMillis < 1
                || webhookBackoffMillis < 0) {
            throw new IllegalArgumentException("alerting settings out of range");
        }
    }

    /** Defaults around a definitions path (which may be null). */
    public static AlertingConfig defaults(Path alertsPath) {
        return new AlertingConfig(alertsPath, 10, defaultEvalThreads(), false, Map.of(), "", 5_000, 4, 1_000,
                Limits.defaults());
    }

    /** Half the cores (1 to 4), so evaluation never starves the HTTP event loop that answers Nagios polls. */
    public static int defaultEvalThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
    }

    public AlertingConfig withWebhooks(Map<String, String> hooks) {
        return new AlertingConfig(alertsPath, reloadSeconds, evalThreads, evaluateAllRegions, hooks, apiBaseUrl,
                webhookTimeoutMillis, webhookAttempts, webhookBackoffMillis, limits);
    }

    public AlertingConfig withEvaluateAllRegions(boolean all) {
        return new AlertingConfig(alertsPath, reloadSeconds, evalThreads, all, webhooks, apiBaseUrl,
                webhookTimeoutMillis, webhookAttempts, webhookBackoffMillis, limits);
    }

    public AlertingConfig withWebhookRetry(long timeoutMillis, int attempts, long backoffMillis) {
        return new AlertingConfig(alertsPath, reloadSeconds, evalThreads, evaluateAllRegions, webhooks, apiBaseUrl,
                timeoutMillis, attempts, backoffMillis, limits);
    }

    /**
     * Bounds on definitions, so that one hostile or mistaken definition cannot make the evaluator fetch weeks of data
     * every few seconds.
     */
    public record Limits(long maxWindowSeconds, long minIntervalSeconds, long maxIntervalSeconds,
                         long maxDelaySeconds, int maxAlerts, int maxTargetChars, int maxTransitionsPerInstance) {

        public static Limits defaults() {
            return new Limits(7 * 86_400L, 10, 86_400, 7 * 86_400L, 100_000, 2_000, 200);
        }
    }
}
