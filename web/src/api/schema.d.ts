// Generated from GET /admin/openapi.json by web/scripts/generate-api.ts. Do not edit.
export interface paths {
  '/admin/session': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Who am I: the caller’s role and name, and the session’s CSRF token */
    get: operations['getAdminSession'];
    put?: never;
    /**
     * Log in: trade an owner, admin or viewer key for a session cookie
     * @description Sets an HttpOnly, SameSite=Strict `signalbox_session` cookie (Secure over HTTPS). Cookie-authenticated mutations must send the returned `csrf_token` as `x-csrf-token`.
     */
    post: operations['postAdminSession'];
    /** Log out this session */
    delete: operations['deleteAdminSession'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/session/logout-all': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Log out everywhere: every session of the caller’s key, or of everyone (owner) */
    post: operations['postAdminSessionLogoutAll'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/requests': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The ledger, newest first, with every upstream attempt; filters combine (AND) */
    get: operations['getAdminRequests'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/requests/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One ledger request with every upstream attempt */
    get: operations['getAdminRequestsById'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/catalog/models': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Search the catalogue: full text, capability, price, context and author filters */
    get: operations['getAdminCatalogModels'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/catalog/models/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * One model with its price history, observed latency and error rate, and endpoints
     * @description The id contains a slash (`openai/gpt-4o`); it may be sent unescaped.
     */
    get: operations['getAdminCatalogModelsById'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/catalog/compare': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Compare 2–6 models side by side, with the cost of a workload */
    post: operations['postAdminCatalogCompare'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/catalog/recommend': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Recommend models for requirements, with the best excluded ones and why */
    post: operations['postAdminCatalogRecommend'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/catalog/models/enable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Enable models in bulk, by id or by author */
    post: operations['postAdminCatalogModelsEnable'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/catalog/models/disable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Disable models in bulk, by id or by author */
    post: operations['postAdminCatalogModelsDisable'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/catalog/sync': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sync the catalogue from OpenRouter (wait for it, or 202 and poll the run) */
    post: operations['postAdminCatalogSync'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/catalog/sync/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One catalogue sync run: its phase and counts while it runs, its outcome after */
    get: operations['getAdminCatalogSyncById'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/playground/chat/completions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Playground chat: Chat Completions (JSON or SSE) for a logged-in admin
     * @description Exactly `POST /v1/chat/completions`, authenticated by the admin API (session cookie + `x-csrf-token`, or a bearer key). Headers `x-signalbox-provider` and `x-request-id` name the provider and the ledger entry.
     */
    post: operations['postAdminPlaygroundChatCompletions'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/routing/policies': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every routing policy (`signalbox/<name>`), current version */
    get: operations['getAdminRoutingPolicies'];
    put?: never;
    /** Create a routing policy (version 1) */
    post: operations['postAdminRoutingPolicies'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/routing/policies/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One routing policy, current version */
    get: operations['getAdminRoutingPoliciesByName'];
    /** Replace a routing policy (a new version; none when nothing changed) */
    put: operations['putAdminRoutingPoliciesByName'];
    post?: never;
    /** Delete a routing policy (its history is kept) */
    delete: operations['deleteAdminRoutingPoliciesByName'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/routing/policies/{name}/versions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every version of a policy, oldest first: who, when, the diff */
    get: operations['getAdminRoutingPoliciesByNameVersions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/routing/policies/{name}/rollback': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Make an old version current again (itself a new version) */
    post: operations['postAdminRoutingPoliciesByNameRollback'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/routing/policies/{name}/test': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Explain sample requests against the current version or a draft (nothing is saved) */
    post: operations['postAdminRoutingPoliciesByNameTest'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/routing/policies/{name}/experiment': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Per-variant figures of a policy’s experiment, from the ledger */
    get: operations['getAdminRoutingPoliciesByNameExperiment'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/routing/policies/{name}/experiment/promote': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** End the experiment: keep one variant (a new version) */
    post: operations['postAdminRoutingPoliciesByNameExperimentPromote'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/routing/decisions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** How often each model was selected, excluded (by reason) and fallen back to */
    get: operations['getAdminRoutingDecisions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** API keys (never their secrets), oldest first */
    get: operations['getAdminKeys'];
    put?: never;
    /**
     * Create an API key (the secret is answered once)
     * @description `client` keys call /v1 and /api/v1 under their limits; `viewer` and `admin` keys call the admin API (read-only, or read and change). Answers the secret in `key`, once.
     */
    post: operations['postAdminKeys'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/keys/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One API key, with its spend in the budget period and its reservations */
    get: operations['getAdminKeysById'];
    put?: never;
    post?: never;
    /** Revoke an API key: refused on every instance within 1 s, sessions ended */
    delete: operations['deleteAdminKeysById'];
    options?: never;
    head?: never;
    /** Change an API key’s settings (null clears a limit); the secret stays */
    patch: operations['patchAdminKeysById'];
    trace?: never;
  };
  '/admin/keys/{id}/rotate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Rotate an API key’s secret; the old one works for `grace_seconds` more */
    post: operations['postAdminKeysByIdRotate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/projects': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every project (deleted ones left out) */
    get: operations['getAdminProjects'];
    put?: never;
    /** Create a project (a group of keys with its own limits and budget) */
    post: operations['postAdminProjects'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/projects/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One project, with its spend in the budget period and its active keys */
    get: operations['getAdminProjectsById'];
    put?: never;
    post?: never;
    /** Delete a project (refused while it has keys that are not revoked) */
    delete: operations['deleteAdminProjectsById'];
    options?: never;
    head?: never;
    /** Change a project’s name, limits or budget (null clears a limit) */
    patch: operations['patchAdminProjectsById'];
    trace?: never;
  };
  '/admin/budgets': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every project and key budget with its spend in the current period, fullest first */
    get: operations['getAdminBudgets'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The audit log, newest first (every admin mutation, secrets masked) */
    get: operations['getAdminAudit'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/analytics/usage': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Requests, errors, tokens and cost by group and interval (from the rollups)
     * @description Filters (`model`, `provider`, `key_id`, `project_id`, `policy`, `status`) match exactly. `from` is rounded down and `to` up to whole intervals (UTC); every interval has a point.
     */
    get: operations['getAdminAnalyticsUsage'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/analytics/performance': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Latency and TTFT percentiles, error, retry and fallback rates, tokens per second by group and interval
     * @description Filters (`model`, `provider`, `key_id`, `project_id`, `policy`, `status`) match exactly. `from` is rounded down and `to` up to whole intervals (UTC); every interval has a point. Percentiles come from merged log-scale histograms, within 4.8 % of the exact values.
     */
    get: operations['getAdminAnalyticsPerformance'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/analytics/costs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Spend by group and interval, split by cost source (unknown counted, not summed)
     * @description Filters (`model`, `provider`, `key_id`, `project_id`, `policy`, `status`) match exactly. `from` is rounded down and `to` up to whole intervals (UTC); every interval has a point.
     */
    get: operations['getAdminAnalyticsCosts'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/analytics/reconciliation': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * How costs computed from catalogue prices compare with the upstream’s own figures
     * @description Over the attempts in the period whose cost the upstream reported or reconciliation fetched, the cost computed from their tokens at the catalogue price in force when they ran.
     */
    get: operations['getAdminAnalyticsReconciliation'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/alerts/rules': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every alert rule, with its state and last value */
    get: operations['getAdminAlertsRules'];
    put?: never;
    /** Create an alert rule (a metric over a window and scope, a threshold, channels) */
    post: operations['postAdminAlertsRules'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/alerts/rules/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One alert rule */
    get: operations['getAdminAlertsRulesById'];
    put?: never;
    post?: never;
    /** Delete an alert rule (its events are kept) */
    delete: operations['deleteAdminAlertsRulesById'];
    options?: never;
    head?: never;
    /** Change an alert rule (its state is kept; the next evaluation decides) */
    patch: operations['patchAdminAlertsRulesById'];
    trace?: never;
  };
  '/admin/alerts/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Alert events (firing, resolved) with their deliveries, newest first
     * @description Filter by `rule_id`, `state` and time (`from` inclusive, `to` exclusive); page with `next_cursor`. Each delivery lists every attempt (status code, error, duration).
     */
    get: operations['getAdminAlertsEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/recommendations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Cheaper models that satisfy what each key × project × model’s traffic used */
    get: operations['getAdminRecommendations'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/recommendations/{id}/experiment': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Turn a recommendation into a routing experiment (a policy with two variants) */
    post: operations['postAdminRecommendationsByIdExperiment'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/providers': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every provider instance: built in, configured (read-only) and added through the API */
    get: operations['getAdminProviders'];
    put?: never;
    /** Add a provider instance (its API key is stored encrypted, never returned) */
    post: operations['postAdminProviders'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/providers/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One provider instance */
    get: operations['getAdminProvidersById'];
    put?: never;
    post?: never;
    /** Delete a provider instance added through the API */
    delete: operations['deleteAdminProvidersById'];
    options?: never;
    head?: never;
    /** Change a provider instance (every instance of Signalbox picks it up within seconds) */
    patch: operations['patchAdminProvidersById'];
    trace?: never;
  };
  '/admin/providers/{id}/test': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Test a provider: connectivity, authentication, model count and latency */
    post: operations['postAdminProvidersByIdTest'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/vault': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The vault: its key id and how many secrets are still wrapped by a previous key */
    get: operations['getAdminVault'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/vault/rotate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Re-wrap every data key under the current encryption key (online)
     * @description With a key from SIGNALBOX_ENCRYPTION_KEY, re-wraps what is still wrapped by SIGNALBOX_ENCRYPTION_KEY_PREVIOUS; with the demo key file, generates a new key first.
     */
    post: operations['postAdminVaultRotate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/settings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The run-time switches (effective values) */
    get: operations['getAdminSettings'];
    /** Replace the run-time switches (every instance applies them within seconds) */
    put: operations['putAdminSettings'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/openapi.json': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This document: the admin API as OpenAPI 3.1 */
    get: operations['getAdminOpenapiJson'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    Session: {
      /** @description `master` for the master key, else the key id. */
      key_id: string;
      /** @enum {string} */
      role: 'owner' | 'admin' | 'viewer' | 'client';
      name: string;
      project_id: string | null;
      /** @enum {string} */
      authenticated_by: 'session' | 'bearer';
      /** @description Send as `x-csrf-token` on cookie-authenticated mutations; null for bearer calls. */
      csrf_token: string | null;
      /** @description When the session ends if unused (idle or absolute expiry); null for bearer. */
      expires_at: string | null;
    };
    LedgerRequest: {
      /** @description The `x-request-id` of the response. */
      id: string;
      created_at: string;
      /** @description The model the client asked for. */
      model: string;
      served_model: string | null;
      provider: string | null;
      /** @description `success` or an error code from docs/errors.md. */
      status: string;
      http_status: number;
      stream: boolean;
      usage: {
        prompt_tokens: number | null;
        completion_tokens: number | null;
        reasoning_tokens: number | null;
        cached_tokens: number | null;
      };
      cost_nanousd: number | null;
      /** @description `provider` when the upstream reported it, `reconciled` when read later from its own accounting, `computed` from catalogue prices, `estimated` for an upper bound, null when unknown. */
      cost_source: ('provider' | 'reconciled' | 'computed' | 'estimated') | null;
      generation_id: string | null;
      latency_ms: number | null;
      ttft_ms: number | null;
      /** @description The routing policy (`signalbox/<name>`) that planned it; null for a plain model. */
      policy: {
        name: string;
        version: number | null;
        variant: string | null;
      } | null;
      /** @description Index in the decision's candidates of the target that served it. */
      served_candidate: number | null;
      /** @description The caller's key id (`master` for the master key). */
      key_id: string | null;
      /** @description The caller's project, when it has one. */
      project_id: string | null;
      /** @description Time it waited in the queue for its key's max_concurrency, ms; null when none. */
      queue_wait_ms: number | null;
      /** @description What routing decided for it, as `POST /v1/route/explain` shows it. */
      routing_decision: {
        requested_model: string;
        selected_model: string | null;
        selected_provider: string | null;
        fallback_models: {
          model: string;
          provider: string;
          /** @constant */
          by_provider?: true;
          /** @constant */
          cooling_down?: true;
        }[];
        reasoning: string[];
        estimated_cost_usd: {
          min: number;
          expected: number;
          max: number;
        } | null;
        estimated_latency_ms: {
          ttft: number | null;
          total: number | null;
        };
        confidence_score: number;
        policy: {
          name: string;
          version: number;
          variant: string | null;
        } | null;
        /** @enum {string} */
        strategy: 'ordered' | 'cheapest' | 'fastest' | 'balanced' | 'quality' | 'weighted';
        requirements: string[];
        max_cost_usd: number | null;
        provider_preferences: {
          [key: string]: unknown;
        } | null;
        candidates: {
          model: string;
          provider: string;
          rank: number;
          scores: {
            cost: number | null;
            latency: number | null;
            quality: number | null;
            weight: number | null;
            total: number;
          };
          estimated_cost_usd: {
            min: number;
            expected: number;
            max: number;
          } | null;
          estimated_latency_ms: {
            ttft: number | null;
            total: number | null;
          } | null;
          latency_source: ('observed' | 'published') | null;
        }[];
        candidates_considered: number;
        excluded: {
          model: string;
          provider: string;
          /** @enum {string} */
          reason_code:
            | 'model_disabled'
            | 'not_served_by_default_provider'
            | 'provider_not_in_only'
            | 'provider_ignored'
            | 'data_policy_unverified'
            | 'models_list_needs_default_provider'
            | 'tools_unsupported'
            | 'tool_choice_unsupported'
            | 'structured_outputs_unsupported'
            | 'json_mode_unsupported'
            | 'image_input_unsupported'
            | 'file_input_unsupported'
            | 'audio_input_unsupported'
            | 'video_input_unsupported'
            | 'reasoning_unsupported'
            | 'context_length_exceeded'
            | 'cost_unknown'
            | 'over_cost_cap'
            | 'circuit_open'
            | 'provider_cooldown';
          reason: string;
        }[];
        excluded_counts: {
          [key: string]: number;
        };
        error: {
          code: string;
          message: string;
        } | null;
        decided_in_us: number;
      } | null;
      attempts: components['schemas']['LedgerAttempt'][];
    };
    LedgerAttempt: {
      attempt: number;
      provider: string;
      model: string;
      served_model: string | null;
      status: string;
      upstream_status: number | null;
      generation_id: string | null;
      started_at: string;
      latency_ms: number | null;
      ttft_ms: number | null;
      usage: {
        prompt_tokens: number | null;
        completion_tokens: number | null;
        reasoning_tokens: number | null;
        cached_tokens: number | null;
      };
      cost_nanousd: number | null;
      /** @description `provider` when the upstream reported it, `reconciled` when read later from its own accounting, `computed` from catalogue prices, `estimated` for an upper bound, null when unknown. */
      cost_source: ('provider' | 'reconciled' | 'computed' | 'estimated') | null;
    };
    CatalogModel: {
      id: string;
      name: string;
      created: number;
      description?: string;
      context_length: number | null;
      architecture: {
        modality?: string;
        input_modalities?: string[];
        output_modalities?: string[];
        tokenizer?: string;
      } & {
        [key: string]: unknown;
      };
      pricing: components['schemas']['ModelPricing'];
      top_provider: {
        context_length?: number | null;
        max_completion_tokens?: number | null;
        is_moderated?: boolean;
      } & {
        [key: string]: unknown;
      };
      supported_parameters: string[];
      /** @enum {string} */
      status: 'active' | 'retired';
      enabled: boolean;
      retired_at: string | null;
    } & {
      [key: string]: unknown;
    };
    ModelPricing: {
      prompt: string;
      completion: string;
      request?: string;
      image?: string;
      web_search?: string;
      internal_reasoning?: string;
      input_cache_read?: string;
      input_cache_write?: string;
    } & {
      [key: string]: unknown;
    };
    CatalogModelDetail: {
      id: string;
      name: string;
      created: number;
      description?: string;
      context_length: number | null;
      architecture: {
        modality?: string;
        input_modalities?: string[];
        output_modalities?: string[];
        tokenizer?: string;
      } & {
        [key: string]: unknown;
      };
      pricing: components['schemas']['ModelPricing'];
      top_provider: {
        context_length?: number | null;
        max_completion_tokens?: number | null;
        is_moderated?: boolean;
      } & {
        [key: string]: unknown;
      };
      supported_parameters: string[];
      /** @enum {string} */
      status: 'active' | 'retired';
      enabled: boolean;
      retired_at: string | null;
      price_history: {
        pricing: components['schemas']['ModelPricing'];
        effective_from: string;
      }[];
      observed: {
        /** @description Median latency over 7 days, ms. */
        latency_ms: number | null;
        requests: number;
        /** @description Failed / all requests over 7 days, 0..1. */
        error_rate: number | null;
      };
      /** @description OpenRouter's per-provider endpoints; null when unavailable. */
      endpoints: components['schemas']['ModelEndpoint'][] | null;
    } & {
      [key: string]: unknown;
    };
    ModelEndpoint: {
      name: string;
      model_id: string | null;
      provider_name: string;
      tag: string | null;
      quantization: string | null;
      context_length: number | null;
      max_completion_tokens: number | null;
      max_prompt_tokens: number | null;
      pricing: components['schemas']['ModelPricing'] | null;
      status?: number | null;
      uptime_last_30m?: number | null;
      latency_last_30m?: {
        p50: number;
        p75: number;
        p90: number;
        p99: number;
      } | null;
      throughput_last_30m?: {
        p50: number;
        p75: number;
        p90: number;
        p99: number;
      } | null;
    } & {
      [key: string]: unknown;
    };
    CatalogSyncRun: {
      id: string;
      /** @enum {string} */
      status: 'running' | 'succeeded' | 'failed' | 'skipped';
      /** @description `fetching`, `writing` or `done`. */
      phase: string;
      started_at: string;
      finished_at: string | null;
      new_models: number;
      changed_models: number;
      unchanged_models: number;
      retired_models: number;
      prices_changed: number;
      errors: number;
      error: string | null;
      instance: string;
    };
    ChatCompletionRequest: {
      model: string;
      messages: ({
        /** @enum {string} */
        role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
        content:
          | string
          | ({
              type: string;
            } & {
              [key: string]: unknown;
            })[]
          | null;
      } & {
        [key: string]: unknown;
      })[];
      stream?: boolean;
      stream_options?: {
        include_usage?: boolean;
      };
      temperature?: number;
      max_tokens?: number;
    } & {
      [key: string]: unknown;
    };
    ChatCompletion: {
      id: string;
      /** @constant */
      object: 'chat.completion';
      created: number;
      model: string;
      choices: ({
        index: number;
        message: {
          role: string;
          content: string | null;
        } & {
          [key: string]: unknown;
        };
        finish_reason: string | null;
      } & {
        [key: string]: unknown;
      })[];
      usage?: {
        prompt_tokens: number;
        completion_tokens: number;
        total_tokens: number;
        cost?: number;
      } & {
        [key: string]: unknown;
      };
    } & {
      [key: string]: unknown;
    };
    CreatedApiKey: {
      id: string;
      name: string;
      project_id: string | null;
      /** @enum {string} */
      role: 'client' | 'viewer' | 'admin';
      /** @description `sbk-` + the secret’s first 8 characters. */
      prefix: string;
      last4: string;
      models: string[] | null;
      policies: string[] | null;
      default_policy: string | null;
      rpm: number | null;
      tpm: number | null;
      max_concurrency: number | null;
      budget: components['schemas']['Budget'];
      max_cost_per_request_usd: number | null;
      allow_unpriced: boolean;
      expires_at: string | null;
      metadata: {
        [key: string]: string;
      };
      revoked_at: string | null;
      /** @description After a rotation with grace: until when the old secret works. */
      previous_key_expires_at: string | null;
      created_at: string;
      updated_at: string;
      /** @description The secret, shown this once: store it now. */
      key: string;
    };
    Budget: {
      limit_usd: number;
      /** @enum {string} */
      period: 'day' | 'week' | 'month' | 'total';
    } | null;
    ApiKey: {
      id: string;
      name: string;
      project_id: string | null;
      /** @enum {string} */
      role: 'client' | 'viewer' | 'admin';
      /** @description `sbk-` + the secret’s first 8 characters. */
      prefix: string;
      last4: string;
      models: string[] | null;
      policies: string[] | null;
      default_policy: string | null;
      rpm: number | null;
      tpm: number | null;
      max_concurrency: number | null;
      budget: components['schemas']['Budget'];
      max_cost_per_request_usd: number | null;
      allow_unpriced: boolean;
      expires_at: string | null;
      metadata: {
        [key: string]: string;
      };
      revoked_at: string | null;
      /** @description After a rotation with grace: until when the old secret works. */
      previous_key_expires_at: string | null;
      created_at: string;
      updated_at: string;
    };
    ApiKeyDetail: {
      id: string;
      name: string;
      project_id: string | null;
      /** @enum {string} */
      role: 'client' | 'viewer' | 'admin';
      /** @description `sbk-` + the secret’s first 8 characters. */
      prefix: string;
      last4: string;
      models: string[] | null;
      policies: string[] | null;
      default_policy: string | null;
      rpm: number | null;
      tpm: number | null;
      max_concurrency: number | null;
      budget: components['schemas']['Budget'];
      max_cost_per_request_usd: number | null;
      allow_unpriced: boolean;
      expires_at: string | null;
      metadata: {
        [key: string]: string;
      };
      revoked_at: string | null;
      /** @description After a rotation with grace: until when the old secret works. */
      previous_key_expires_at: string | null;
      created_at: string;
      updated_at: string;
      /** @description Settled spend in the budget’s current period (all time without a budget). */
      spend_usd: number;
      /** @description Worst-case cost of the key’s requests in flight. */
      reserved_usd: number;
      /** @description Budget left; null without a budget. */
      remaining_usd: number | null;
      /** @description Start of the budget period; null for `total`. */
      period_start: string | null;
    };
    Project: {
      id: string;
      name: string;
      rpm: number | null;
      tpm: number | null;
      budget: components['schemas']['Budget'];
      created_at: string;
      updated_at: string;
    };
    ProjectDetail: {
      id: string;
      name: string;
      rpm: number | null;
      tpm: number | null;
      budget: components['schemas']['Budget'];
      created_at: string;
      updated_at: string;
      /** @description Settled spend in the budget’s current period (all time without a budget). */
      spend_usd: number;
      /** @description Worst-case cost of requests in flight. */
      reserved_usd: number;
      /** @description Budget left; null without a budget. */
      remaining_usd: number | null;
      /** @description Start of the budget period; null for `total`. */
      period_start: string | null;
      active_keys: number;
    };
    BudgetStatus: {
      /**
       * @description Whose budget: a project’s or a key’s.
       * @enum {string}
       */
      scope: 'project' | 'key';
      /** @description The project’s or key’s id. */
      id: string;
      name: string;
      /** @description The cap per period, USD. */
      limit_usd: number;
      /** @enum {string} */
      period: 'day' | 'week' | 'month' | 'total';
      /** @description Settled spend in the current period, USD. */
      spend_usd: number;
      /** @description Worst-case cost of requests in flight, USD. */
      reserved_usd: number;
      /** @description Budget left (never below 0), USD. */
      remaining_usd: number;
      /** @description Start of the current period; null for `total`. */
      period_start: string | null;
    };
    AuditEntry: {
      id: number;
      at: string;
      actor: {
        key_id: string;
        role: string;
        name: string;
      };
      action: string;
      target_type: string;
      target_id: string | null;
      before: unknown;
      after: unknown;
      client_ip: string | null;
      request_id: string | null;
    };
    AlertRule: {
      id: string;
      name: string;
      /** @enum {string} */
      metric:
        | 'spend_usd'
        | 'budget_used_pct'
        | 'error_rate'
        | 'latency_p95_ms'
        | 'ttft_p95_ms'
        | 'requests'
        | 'fallback_rate';
      scope: components['schemas']['AlertScope'];
      window_minutes: number;
      /** @enum {string} */
      operator: '>' | '>=' | '<' | '<=';
      threshold: number;
      channels: components['schemas']['AlertChannel'][];
      enabled: boolean;
      /** @enum {string} */
      state: 'ok' | 'firing';
      state_since: string | null;
      last_value: number | null;
      last_evaluated_at: string | null;
      created_at: string;
      updated_at: string;
    };
    AlertScope: {
      project_id?: string;
      key_id?: string;
      model?: string;
      provider?: string;
    };
    AlertChannel:
      | {
          /** @constant */
          type: 'webhook';
          url: string;
          /** @description The last 4 characters of the signing secret (never returned); null = unsigned. */
          secret_last4: string | null;
        }
      | {
          /** @constant */
          type: 'log';
        };
    AlertEvent: {
      id: number;
      rule_id: string;
      rule_name: string;
      /** @enum {string} */
      state: 'firing' | 'resolved';
      /** @enum {string} */
      metric:
        | 'spend_usd'
        | 'budget_used_pct'
        | 'error_rate'
        | 'latency_p95_ms'
        | 'ttft_p95_ms'
        | 'requests'
        | 'fallback_rate';
      scope: components['schemas']['AlertScope'];
      value: number | null;
      /** @enum {string} */
      operator: '>' | '>=' | '<' | '<=';
      threshold: number;
      window_minutes: number;
      window_from: string;
      window_to: string;
      at: string;
      deliveries: {
        channel: number;
        /** @enum {string} */
        type: 'webhook' | 'log';
        /** @enum {string} */
        status: 'pending' | 'delivered' | 'failed';
        attempts: {
          attempt: number;
          at: string;
          status_code: number | null;
          error: string | null;
          duration_ms: number;
        }[];
      }[];
    };
    Provider: {
      id: string;
      /** @enum {string} */
      type: 'openrouter' | 'openai' | 'anthropic' | 'gemini' | 'openai-compatible';
      base_url: string;
      /** @description The last 4 characters of the API key (the key itself is never returned). */
      api_key_last4: string | null;
      models: {
        [key: string]: string;
      };
      /** @description Header names with their values masked to the last 4 characters. */
      headers: {
        [key: string]: string;
      };
      enabled: boolean;
      serve_catalogue: boolean;
      /** @enum {string} */
      source: 'api' | 'configuration' | 'built_in';
      read_only: boolean;
      /** @enum {string} */
      status: 'active' | 'disabled' | 'error';
      error: string | null;
      version: number | null;
      created_at: string | null;
      updated_at: string | null;
      updated_by: string | null;
    };
    ProviderTest: {
      id: string;
      ok: boolean;
      reachable: boolean;
      /** @description null when the provider answered without checking the key. */
      authenticated: boolean | null;
      model_count: number | null;
      latency_ms: number;
      error: {
        code: string;
        message: string;
      } | null;
    };
    VaultStatus: {
      available: boolean;
      key_id: string | null;
      /** @enum {string} */
      key_origin: 'environment' | 'data-directory' | 'none';
      secrets: number;
      secrets_on_previous_key: number;
    };
    VaultRotation: {
      key_id: string;
      /** @description A new key was generated (demo key file); false = re-wrapped under the current key. */
      generated: boolean;
      rewrapped: number;
      secrets: number;
    };
    RuntimeSettings: {
      routing_policies_enabled: boolean;
      fallback_reply: string | null;
      queueing_enabled: boolean;
      /** @description What PUT stored; a field left out takes its default. */
      stored: {
        /** @description Whether operator-defined routing policies (`signalbox/<name>`) apply; off = only the built-in ones resolve. */
        routing_policies_enabled?: boolean;
        /** @description The graceful reply when every candidate failed; null = off (an error); absent = SIGNALBOX_FALLBACK_REPLY. */
        fallback_reply?: string | null;
        /** @description Whether requests over a concurrency limit wait in the queue (read by the limits feature). */
        queueing_enabled?: boolean;
      };
    };
    ErrorBody: {
      error: {
        message: string;
        type: string;
        param: string | null;
        /** @description A stable code from docs/errors.md. */
        code: string;
      };
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  getAdminSession: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Session'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  postAdminSession: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          key: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Session'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  deleteAdminSession: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            logged_out: boolean;
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  postAdminSessionLogoutAll: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /**
           * @description `everyone` ends every dashboard session of every key (owner only).
           * @default key
           * @enum {string}
           */
          scope?: 'key' | 'everyone';
        } | null;
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            ended: number;
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminRequests: {
    parameters: {
      query?: {
        /** @description Page size, 1..200, default 50. */
        limit?: string;
        /** @description `next_cursor` of the previous page (with the same filters). */
        cursor?: string;
        /** @description created_at >= from (ISO 8601). */
        from?: string;
        /** @description created_at < to (ISO 8601). */
        to?: string;
        /** @description The requested or the served model id. */
        model?: string;
        /** @description The provider instance that served. */
        provider?: string;
        /** @description `success`, `error` (any failure), or an error code from docs/errors.md. */
        status?: string;
        /** @description A routing policy name (without `signalbox/`). */
        policy?: string;
        key_id?: string;
        project_id?: string;
        /** @description Known cost >= this, USD. */
        min_cost_usd?: string;
        /** @description Known cost <= this, USD. */
        max_cost_usd?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['LedgerRequest'][];
            next_cursor: string | null;
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminRequestsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The `x-request-id`. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['LedgerRequest'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminCatalogModels: {
    parameters: {
      query?: {
        /** @description Words that must all appear in the id, name or description. */
        q?: string;
        /** @description An input modality the model must accept, e.g. `image`. */
        input_modality?: string;
        /** @description An output modality the model must produce. */
        output_modality?: string;
        /** @description Capabilities, any of: tools, structured_outputs, reasoning, vision (array or comma-separated). */
        supports?: string | string[];
        /** @description Least context window, tokens. */
        min_context?: number | string;
        /** @description Most USD per 1M prompt tokens. */
        max_prompt_price?: number | string;
        /** @description Most USD per 1M completion tokens. */
        max_completion_price?: number | string;
        /** @description Authors (`openai`, `anthropic`), any of. */
        provider?: string | string[];
        /** @description Only free (true) or only paid (false) models. */
        free?: boolean | ('true' | 'false' | '');
        /** @description Only retired (true) or only active (false) models. */
        retired?: boolean | ('true' | 'false' | '');
        /** @description Only enabled (true) or only disabled (false) models. */
        enabled?: boolean | ('true' | 'false' | '');
        /** @description Default `name`; `price` is cheapest first, unpriced last. */
        sort?: 'price' | 'context' | 'newest' | 'name';
        /** @description Page size, 1..500, default 50. */
        limit?: number | string;
        /** @description `next_cursor` of the previous page, for the same query. */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['CatalogModel'][];
            total: number;
            next_cursor: string | null;
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminCatalogModelsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The model id, e.g. `openai/gpt-4o`. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CatalogModelDetail'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  postAdminCatalogCompare: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description 2 to 6 model ids. */
          models: string[];
          workload?: {
            /** @description Prompt tokens per request (1000). */
            prompt_tokens?: number | string;
            /** @description Completion tokens per request (500). */
            completion_tokens?: number | string;
            /** @description Requests per day (1000). */
            requests_per_day?: number | string;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            workload: {
              prompt_tokens: number;
              completion_tokens: number;
              requests_per_day: number;
            };
            cheapest: string | null;
            models: {
              id: string;
              name: string;
              /** @enum {string} */
              status: 'active' | 'retired';
              enabled: boolean;
              context_length: number | null;
              max_completion_tokens: number | null;
              pricing: components['schemas']['ModelPricing'];
              prompt_price_per_million_usd: number | null;
              completion_price_per_million_usd: number | null;
              capabilities: {
                tools: boolean;
                structured_outputs: boolean;
                reasoning: boolean;
                vision: boolean;
              };
              input_modalities: string[];
              output_modalities: string[];
              observed_latency_ms: number | null;
              cost_per_request_nanousd: number | null;
              cost_per_day_nanousd: number | null;
            }[];
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  postAdminCatalogRecommend: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description Capabilities, any of: tools, structured_outputs, reasoning, vision (array or comma-separated). */
          capabilities?: string | string[];
          /** @description Least context window, tokens. */
          min_context?: number | string;
          /** @description Most USD per 1,000 typical requests. */
          budget_per_1k_requests_usd?: number | string;
          /** @enum {string} */
          preference?: 'cost' | 'speed' | 'balanced';
          /** @description Prompt tokens of a typical request (1000). */
          prompt_tokens?: number | string;
          /** @description Completion tokens of a typical request (500). */
          completion_tokens?: number | string;
          /** @description How many to return, 1..50 (5). */
          limit?: number | string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: {
              rank: number;
              id: string;
              name: string;
              context_length: number | null;
              cost_per_1k_requests_nanousd: number;
              observed_latency_ms: number | null;
              reason: string;
            }[];
            excluded: {
              id: string;
              name: string;
              reasons: string[];
            }[];
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  postAdminCatalogModelsEnable: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description Model ids. */
          ids?: string | string[];
          /** @description Authors such as `openai`: every model of theirs. */
          providers?: string | string[];
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            updated: number;
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  postAdminCatalogModelsDisable: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description Model ids. */
          ids?: string | string[];
          /** @description Authors such as `openai`: every model of theirs. */
          providers?: string | string[];
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            updated: number;
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  postAdminCatalogSync: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @description Answer when the sync has finished (default), or at once with 202. */
          wait?: boolean | ('true' | 'false' | '');
        } | null;
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CatalogSyncRun'];
        };
      };
      /** @description Success */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CatalogSyncRun'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminCatalogSyncById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CatalogSyncRun'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  postAdminPlaygroundChatCompletions: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ChatCompletionRequest'];
      };
    };
    responses: {
      /** @description A chat completion, or with `stream: true` an SSE stream of chunks. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ChatCompletion'];
          'text/event-stream': string;
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminRoutingPolicies: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: {
              name: string;
              description?: string;
              candidates?: {
                model: string;
                providers?: string[];
              }[];
              filter?: {
                supports?: ('tools' | 'structured_outputs' | 'reasoning' | 'vision')[];
                min_context?: number;
                max_prompt_usd_per_mtok?: number;
                max_completion_usd_per_mtok?: number;
                providers?: string[];
                include?: string[];
                exclude?: string[];
                output_modalities?: ('text' | 'image' | 'audio')[];
              };
              /** @enum {string} */
              strategy?: 'ordered' | 'cheapest' | 'fastest' | 'balanced' | 'quality' | 'weighted';
              cost_weight?: number;
              fallbacks?: number;
              ttft_timeout_ms?: number;
              max_cost_usd?: number;
              quality?: {
                [key: string]: number;
              };
              weights?: {
                [key: string]: number;
              };
              variants?: {
                name: string;
                weight: number;
                description?: string;
                candidates?: {
                  model: string;
                  providers?: string[];
                }[];
                filter?: {
                  supports?: ('tools' | 'structured_outputs' | 'reasoning' | 'vision')[];
                  min_context?: number;
                  max_prompt_usd_per_mtok?: number;
                  max_completion_usd_per_mtok?: number;
                  providers?: string[];
                  include?: string[];
                  exclude?: string[];
                  output_modalities?: ('text' | 'image' | 'audio')[];
                };
                /** @enum {string} */
                strategy?: 'ordered' | 'cheapest' | 'fastest' | 'balanced' | 'quality' | 'weighted';
                cost_weight?: number;
                fallbacks?: number;
                ttft_timeout_ms?: number;
                max_cost_usd?: number;
                quality?: {
                  [key: string]: number;
                };
                weights?: {
                  [key: string]: number;
                };
              }[];
              version: number;
              /** Format: date-time */
              updated_at: string;
              updated_by: string;
            }[];
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  postAdminRoutingPolicies: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': unknown;
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            name: string;
            description?: string;
            candidates?: {
              model: string;
              providers?: string[];
            }[];
            filter?: {
              supports?: ('tools' | 'structured_outputs' | 'reasoning' | 'vision')[];
              min_context?: number;
              max_prompt_usd_per_mtok?: number;
              max_completion_usd_per_mtok?: number;
              providers?: string[];
              include?: string[];
              exclude?: string[];
              output_modalities?: ('text' | 'image' | 'audio')[];
            };
            /** @enum {string} */
            strategy?: 'ordered' | 'cheapest' | 'fastest' | 'balanced' | 'quality' | 'weighted';
            cost_weight?: number;
            fallbacks?: number;
            ttft_timeout_ms?: number;
            max_cost_usd?: number;
            quality?: {
              [key: string]: number;
            };
            weights?: {
              [key: string]: number;
            };
            variants?: {
              name: string;
              weight: number;
              description?: string;
              candidates?: {
                model: string;
                providers?: string[];
              }[];
              filter?: {
                supports?: ('tools' | 'structured_outputs' | 'reasoning' | 'vision')[];
                min_context?: number;
                max_prompt_usd_per_mtok?: number;
                max_completion_usd_per_mtok?: number;
                providers?: string[];
                include?: string[];
                exclude?: string[];
                output_modalities?: ('text' | 'image' | 'audio')[];
              };
              /** @enum {string} */
              strategy?: 'ordered' | 'cheapest' | 'fastest' | 'balanced' | 'quality' | 'weighted';
              cost_weight?: number;
              fallbacks?: number;
              ttft_timeout_ms?: number;
              max_cost_usd?: number;
              quality?: {
                [key: string]: number;
              };
              weights?: {
                [key: string]: number;
              };
            }[];
            version: number;
            /** Format: date-time */
            updated_at: string;
            updated_by: string;
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminRoutingPoliciesByName: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            name: string;
            description?: string;
            candidates?: {
              model: string;
              providers?: string[];
            }[];
            filter?: {
              supports?: ('tools' | 'structured_outputs' | 'reasoning' | 'vision')[];
              min_context?: number;
              max_prompt_usd_per_mtok?: number;
              max_completion_usd_per_mtok?: number;
              providers?: string[];
              include?: string[];
              exclude?: string[];
              output_modalities?: ('text' | 'image' | 'audio')[];
            };
            /** @enum {string} */
            strategy?: 'ordered' | 'cheapest' | 'fastest' | 'balanced' | 'quality' | 'weighted';
            cost_weight?: number;
            fallbacks?: number;
            ttft_timeout_ms?: number;
            max_cost_usd?: number;
            quality?: {
              [key: string]: number;
            };
            weights?: {
              [key: string]: number;
            };
            variants?: {
              name: string;
              weight: number;
              description?: string;
              candidates?: {
                model: string;
                providers?: string[];
              }[];
              filter?: {
                supports?: ('tools' | 'structured_outputs' | 'reasoning' | 'vision')[];
                min_context?: number;
                max_prompt_usd_per_mtok?: number;
                max_completion_usd_per_mtok?: number;
                providers?: string[];
                include?: string[];
                exclude?: string[];
                output_modalities?: ('text' | 'image' | 'audio')[];
              };
              /** @enum {string} */
              strategy?: 'ordered' | 'cheapest' | 'fastest' | 'balanced' | 'quality' | 'weighted';
              cost_weight?: number;
              fallbacks?: number;
              ttft_timeout_ms?: number;
              max_cost_usd?: number;
              quality?: {
                [key: string]: number;
              };
              weights?: {
                [key: string]: number;
              };
            }[];
            version: number;
            /** Format: date-time */
            updated_at: string;
            updated_by: string;
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  putAdminRoutingPoliciesByName: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': unknown;
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            name: string;
            description?: string;
            candidates?: {
              model: string;
              providers?: string[];
            }[];
            filter?: {
              supports?: ('tools' | 'structured_outputs' | 'reasoning' | 'vision')[];
              min_context?: number;
              max_prompt_usd_per_mtok?: number;
              max_completion_usd_per_mtok?: number;
              providers?: string[];
              include?: string[];
              exclude?: string[];
              output_modalities?: ('text' | 'image' | 'audio')[];
            };
            /** @enum {string} */
            strategy?: 'ordered' | 'cheapest' | 'fastest' | 'balanced' | 'quality' | 'weighted';
            cost_weight?: number;
            fallbacks?: number;
            ttft_timeout_ms?: number;
            max_cost_usd?: number;
            quality?: {
              [key: string]: number;
            };
            weights?: {
              [key: string]: number;
            };
            variants?: {
              name: string;
              weight: number;
              description?: string;
              candidates?: {
                model: string;
                providers?: string[];
              }[];
              filter?: {
                supports?: ('tools' | 'structured_outputs' | 'reasoning' | 'vision')[];
                min_context?: number;
                max_prompt_usd_per_mtok?: number;
                max_completion_usd_per_mtok?: number;
                providers?: string[];
                include?: string[];
                exclude?: string[];
                output_modalities?: ('text' | 'image' | 'audio')[];
              };
              /** @enum {string} */
              strategy?: 'ordered' | 'cheapest' | 'fastest' | 'balanced' | 'quality' | 'weighted';
              cost_weight?: number;
              fallbacks?: number;
              ttft_timeout_ms?: number;
              max_cost_usd?: number;
              quality?: {
                [key: string]: number;
              };
              weights?: {
                [key: string]: number;
              };
            }[];
            version: number;
            /** Format: date-time */
            updated_at: string;
            updated_by: string;
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  deleteAdminRoutingPoliciesByName: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            name: string;
            version: number;
            /** @enum {string} */
            action: 'create' | 'update' | 'delete' | 'rollback' | 'promote';
            policy: {
              name: string;
              description?: string;
              candidates?: {
                model: string;
                providers?: string[];
              }[];
              filter?: {
                supports?: ('tools' | 'structured_outputs' | 'reasoning' | 'vision')[];
                min_context?: number;
                max_prompt_usd_per_mtok?: number;
                max_completion_usd_per_mtok?: number;
                providers?: string[];
                include?: string[];
                exclude?: string[];
                output_modalities?: ('text' | 'image' | 'audio')[];
              };
              /** @enum {string} */
              strategy?: 'ordered' | 'cheapest' | 'fastest' | 'balanced' | 'quality' | 'weighted';
              cost_weight?: number;
              fallbacks?: number;
              ttft_timeout_ms?: number;
              max_cost_usd?: number;
              quality?: {
                [key: string]: number;
              };
              weights?: {
                [key: string]: number;
              };
              variants?: {
                name: string;
                weight: number;
                description?: string;
                candidates?: {
                  model: string;
                  providers?: string[];
                }[];
                filter?: {
                  supports?: ('tools' | 'structured_outputs' | 'reasoning' | 'vision')[];
                  min_context?: number;
                  max_prompt_usd_per_mtok?: number;
                  max_completion_usd_per_mtok?: number;
                  providers?: string[];
                  include?: string[];
                  exclude?: string[];
                  output_modalities?: ('text' | 'image' | 'audio')[];
                };
                /** @enum {string} */
                strategy?: 'ordered' | 'cheapest' | 'fastest' | 'balanced' | 'quality' | 'weighted';
                cost_weight?: number;
                fallbacks?: number;
                ttft_timeout_ms?: number;
                max_cost_usd?: number;
                quality?: {
                  [key: string]: number;
                };
                weights?: {
                  [key: string]: number;
                };
              }[];
            } | null;
            diff: {
              path: string;
              before?: unknown;
              after?: unknown;
            }[];
            /** Format: date-time */
            created_at: string;
            created_by: string;
            note: string | null;
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminRoutingPoliciesByNameVersions: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: {
              name: string;
              version: number;
              /** @enum {string} */
              action: 'create' | 'update' | 'delete' | 'rollback' | 'promote';
              policy: {
                name: string;
                description?: string;
                candidates?: {
                  model: string;
                  providers?: string[];
                }[];
                filter?: {
                  supports?: ('tools' | 'structured_outputs' | 'reasoning' | 'vision')[];
                  min_context?: number;
                  max_prompt_usd_per_mtok?: number;
                  max_completion_usd_per_mtok?: number;
                  providers?: string[];
                  include?: string[];
                  exclude?: string[];
                  output_modalities?: ('text' | 'image' | 'audio')[];
                };
                /** @enum {string} */
                strategy?: 'ordered' | 'cheapest' | 'fastest' | 'balanced' | 'quality' | 'weighted';
                cost_weight?: number;
                fallbacks?: number;
                ttft_timeout_ms?: number;
                max_cost_usd?: number;
                quality?: {
                  [key: string]: number;
                };
                weights?: {
                  [key: string]: number;
                };
                variants?: {
                  name: string;
                  weight: number;
                  description?: string;
                  candidates?: {
                    model: string;
                    providers?: string[];
                  }[];
                  filter?: {
                    supports?: ('tools' | 'structured_outputs' | 'reasoning' | 'vision')[];
                    min_context?: number;
                    max_prompt_usd_per_mtok?: number;
                    max_completion_usd_per_mtok?: number;
                    providers?: string[];
                    include?: string[];
                    exclude?: string[];
                    output_modalities?: ('text' | 'image' | 'audio')[];
                  };
                  /** @enum {string} */
                  strategy?:
                    'ordered' | 'cheapest' | 'fastest' | 'balanced' | 'quality' | 'weighted';
                  cost_weight?: number;
                  fallbacks?: number;
                  ttft_timeout_ms?: number;
                  max_cost_usd?: number;
                  quality?: {
                    [key: string]: number;
                  };
                  weights?: {
                    [key: string]: number;
                  };
                }[];
              } | null;
              diff: {
                path: string;
                before?: unknown;
                after?: unknown;
              }[];
              /** Format: date-time */
              created_at: string;
              created_by: string;
              note: string | null;
            }[];
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  postAdminRoutingPoliciesByNameRollback: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          version: number;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            name: string;
            description?: string;
            candidates?: {
              model: string;
              providers?: string[];
            }[];
            filter?: {
              supports?: ('tools' | 'structured_outputs' | 'reasoning' | 'vision')[];
              min_context?: number;
              max_prompt_usd_per_mtok?: number;
              max_completion_usd_per_mtok?: number;
              providers?: string[];
              include?: string[];
              exclude?: string[];
              output_modalities?: ('text' | 'image' | 'audio')[];
            };
            /** @enum {string} */
            strategy?: 'ordered' | 'cheapest' | 'fastest' | 'balanced' | 'quality' | 'weighted';
            cost_weight?: number;
            fallbacks?: number;
            ttft_timeout_ms?: number;
            max_cost_usd?: number;
            quality?: {
              [key: string]: number;
            };
            weights?: {
              [key: string]: number;
            };
            variants?: {
              name: string;
              weight: number;
              description?: string;
              candidates?: {
                model: string;
                providers?: string[];
              }[];
              filter?: {
                supports?: ('tools' | 'structured_outputs' | 'reasoning' | 'vision')[];
                min_context?: number;
                max_prompt_usd_per_mtok?: number;
                max_completion_usd_per_mtok?: number;
                providers?: string[];
                include?: string[];
                exclude?: string[];
                output_modalities?: ('text' | 'image' | 'audio')[];
              };
              /** @enum {string} */
              strategy?: 'ordered' | 'cheapest' | 'fastest' | 'balanced' | 'quality' | 'weighted';
              cost_weight?: number;
              fallbacks?: number;
              ttft_timeout_ms?: number;
              max_cost_usd?: number;
              quality?: {
                [key: string]: number;
              };
              weights?: {
                [key: string]: number;
              };
            }[];
            version: number;
            /** Format: date-time */
            updated_at: string;
            updated_by: string;
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  postAdminRoutingPoliciesByNameTest: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          policy?: {
            [key: string]: unknown;
          };
          request?: {
            messages: {
              [key: string]: unknown;
            }[];
          } & {
            [key: string]: unknown;
          };
          requests?: ({
            messages: {
              [key: string]: unknown;
            }[];
          } & {
            [key: string]: unknown;
          })[];
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            policy: {
              name: string;
              version: number;
              draft: boolean;
            };
            decisions: {
              requested_model: string;
              selected_model: string | null;
              selected_provider: string | null;
              fallback_models: {
                model: string;
                provider: string;
                /** @constant */
                by_provider?: true;
                /** @constant */
                cooling_down?: true;
              }[];
              reasoning: string[];
              estimated_cost_usd: {
                min: number;
                expected: number;
                max: number;
              } | null;
              estimated_latency_ms: {
                ttft: number | null;
                total: number | null;
              };
              confidence_score: number;
              policy: {
                name: string;
                version: number;
                variant: string | null;
              } | null;
              /** @enum {string} */
              strategy: 'ordered' | 'cheapest' | 'fastest' | 'balanced' | 'quality' | 'weighted';
              requirements: string[];
              max_cost_usd: number | null;
              provider_preferences: {
                [key: string]: unknown;
              } | null;
              candidates: {
                model: string;
                provider: string;
                rank: number;
                scores: {
                  cost: number | null;
                  latency: number | null;
                  quality: number | null;
                  weight: number | null;
                  total: number;
                };
                estimated_cost_usd: {
                  min: number;
                  expected: number;
                  max: number;
                } | null;
                estimated_latency_ms: {
                  ttft: number | null;
                  total: number | null;
                } | null;
                latency_source: ('observed' | 'published') | null;
              }[];
              candidates_considered: number;
              excluded: {
                model: string;
                provider: string;
                /** @enum {string} */
                reason_code:
                  | 'model_disabled'
                  | 'not_served_by_default_provider'
                  | 'provider_not_in_only'
                  | 'provider_ignored'
                  | 'data_policy_unverified'
                  | 'models_list_needs_default_provider'
                  | 'tools_unsupported'
                  | 'tool_choice_unsupported'
                  | 'structured_outputs_unsupported'
                  | 'json_mode_unsupported'
                  | 'image_input_unsupported'
                  | 'file_input_unsupported'
                  | 'audio_input_unsupported'
                  | 'video_input_unsupported'
                  | 'reasoning_unsupported'
                  | 'context_length_exceeded'
                  | 'cost_unknown'
                  | 'over_cost_cap'
                  | 'circuit_open'
                  | 'provider_cooldown';
                reason: string;
              }[];
              excluded_counts: {
                [key: string]: number;
              };
              error: {
                code: string;
                message: string;
              } | null;
              decided_in_us: number;
            }[];
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminRoutingPoliciesByNameExperiment: {
    parameters: {
      query?: {
        from?: string;
        to?: string;
      };
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            policy: string;
            version: number;
            variants: {
              name: string | null;
              weight: number | null;
              requests: number;
              cost_nanousd: number | null;
              cost_usd: number | null;
              latency_p50_ms: number | null;
              latency_p95_ms: number | null;
              ttft_p50_ms: number | null;
              error_rate: number;
              fallback_rate: number;
            }[];
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  postAdminRoutingPoliciesByNameExperimentPromote: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          variant: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            name: string;
            description?: string;
            candidates?: {
              model: string;
              providers?: string[];
            }[];
            filter?: {
              supports?: ('tools' | 'structured_outputs' | 'reasoning' | 'vision')[];
              min_context?: number;
              max_prompt_usd_per_mtok?: number;
              max_completion_usd_per_mtok?: number;
              providers?: string[];
              include?: string[];
              exclude?: string[];
              output_modalities?: ('text' | 'image' | 'audio')[];
            };
            /** @enum {string} */
            strategy?: 'ordered' | 'cheapest' | 'fastest' | 'balanced' | 'quality' | 'weighted';
            cost_weight?: number;
            fallbacks?: number;
            ttft_timeout_ms?: number;
            max_cost_usd?: number;
            quality?: {
              [key: string]: number;
            };
            weights?: {
              [key: string]: number;
            };
            variants?: {
              name: string;
              weight: number;
              description?: string;
              candidates?: {
                model: string;
                providers?: string[];
              }[];
              filter?: {
                supports?: ('tools' | 'structured_outputs' | 'reasoning' | 'vision')[];
                min_context?: number;
                max_prompt_usd_per_mtok?: number;
                max_completion_usd_per_mtok?: number;
                providers?: string[];
                include?: string[];
                exclude?: string[];
                output_modalities?: ('text' | 'image' | 'audio')[];
              };
              /** @enum {string} */
              strategy?: 'ordered' | 'cheapest' | 'fastest' | 'balanced' | 'quality' | 'weighted';
              cost_weight?: number;
              fallbacks?: number;
              ttft_timeout_ms?: number;
              max_cost_usd?: number;
              quality?: {
                [key: string]: number;
              };
              weights?: {
                [key: string]: number;
              };
            }[];
            version: number;
            /** Format: date-time */
            updated_at: string;
            updated_by: string;
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminRoutingDecisions: {
    parameters: {
      query?: {
        from?: string;
        to?: string;
        policy?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            policy: string | null;
            requests: number;
            excluded_by_reason: {
              [key: string]: number;
            };
            models: {
              model: string;
              selected: number;
              fallen_back_to: number;
              excluded: {
                [key: string]: number;
              };
            }[];
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminKeys: {
    parameters: {
      query?: {
        project_id?: string;
        role?: 'client' | 'viewer' | 'admin';
        /** @description Also list revoked keys. */
        include_revoked?: 'true' | 'false';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['ApiKey'][];
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  postAdminKeys: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name: string;
          /** @description The project the key belongs to. */
          project_id?: string | null;
          /**
           * @description `client`: /v1 and /api/v1 only (the default); `viewer`: read the admin API; `admin`: change it.
           * @default client
           * @enum {string}
           */
          role?: 'client' | 'viewer' | 'admin';
          /** @description Model ids the key may use, `*` globs (`openai/*`); null = any. Client keys only. */
          models?: string[] | null;
          /** @description Routing policies (`signalbox/<name>` or `<name>`) the key may use; null = any. */
          policies?: string[] | null;
          /** @description Used when a request names no model or `signalbox/default`. */
          default_policy?: string | null;
          rpm?: number | null;
          tpm?: number | null;
          max_concurrency?: number | null;
          budget?: {
            /** @description The cap, USD. */
            limit_usd: number;
            /**
             * @description `day`, `week`, `month` (calendar, UTC) or `total`.
             * @enum {string}
             */
            period: 'day' | 'week' | 'month' | 'total';
          } | null;
          /** @description Cap on one request’s worst-case cost, USD (the smaller of it and `x-signalbox-max-cost-usd`). */
          max_cost_per_request_usd?: number | null;
          /** @description Allow models with unknown prices under a budget. */
          allow_unpriced?: boolean;
          /** @description After it the key is refused. */
          expires_at?: string | null;
          /** @description Copied into the tags of every request made with the key. */
          metadata?: {
            [key: string]: string;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedApiKey'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminKeysById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiKeyDetail'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  deleteAdminKeysById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiKey'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  patchAdminKeysById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name?: string;
          /** @description The project the key belongs to. */
          project_id?: string | null;
          /** @enum {string} */
          role?: 'client' | 'viewer' | 'admin';
          /** @description Model ids the key may use, `*` globs (`openai/*`); null = any. Client keys only. */
          models?: string[] | null;
          /** @description Routing policies (`signalbox/<name>` or `<name>`) the key may use; null = any. */
          policies?: string[] | null;
          /** @description Used when a request names no model or `signalbox/default`. */
          default_policy?: string | null;
          rpm?: number | null;
          tpm?: number | null;
          max_concurrency?: number | null;
          budget?: {
            /** @description The cap, USD. */
            limit_usd: number;
            /**
             * @description `day`, `week`, `month` (calendar, UTC) or `total`.
             * @enum {string}
             */
            period: 'day' | 'week' | 'month' | 'total';
          } | null;
          /** @description Cap on one request’s worst-case cost, USD (the smaller of it and `x-signalbox-max-cost-usd`). */
          max_cost_per_request_usd?: number | null;
          /** @description Allow models with unknown prices under a budget. */
          allow_unpriced?: boolean;
          /** @description After it the key is refused. */
          expires_at?: string | null;
          /** @description Copied into the tags of every request made with the key. */
          metadata?: {
            [key: string]: string;
          };
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiKey'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  postAdminKeysByIdRotate: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /**
           * @description How long the old secret keeps working, seconds (0 = it stops at once).
           * @default 0
           */
          grace_seconds?: number;
        } | null;
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedApiKey'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminProjects: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Project'][];
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  postAdminProjects: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name: string;
          /** @description Requests per minute over all the project’s keys. */
          rpm?: number | null;
          /** @description Tokens per minute over all the project’s keys. */
          tpm?: number | null;
          budget?: {
            /** @description The cap, USD. */
            limit_usd: number;
            /**
             * @description `day`, `week`, `month` (calendar, UTC) or `total`.
             * @enum {string}
             */
            period: 'day' | 'week' | 'month' | 'total';
          } | null;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Project'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminProjectsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ProjectDetail'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  deleteAdminProjectsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Project'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  patchAdminProjectsById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name?: string;
          /** @description Requests per minute over all the project’s keys. */
          rpm?: number | null;
          /** @description Tokens per minute over all the project’s keys. */
          tpm?: number | null;
          budget?: {
            /** @description The cap, USD. */
            limit_usd: number;
            /**
             * @description `day`, `week`, `month` (calendar, UTC) or `total`.
             * @enum {string}
             */
            period: 'day' | 'week' | 'month' | 'total';
          } | null;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Project'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminBudgets: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['BudgetStatus'][];
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminAudit: {
    parameters: {
      query?: {
        /** @description Actor key id (`master` or a key id). */
        actor?: string;
        /** @description `type` or `type:id`, e.g. `key:key_…`. */
        target?: string;
        action?: string;
        /** @description ISO 8601 time */
        from?: string;
        /** @description ISO 8601 time */
        to?: string;
        limit?: number;
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AuditEntry'][];
            next_cursor: string | null;
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminAnalyticsUsage: {
    parameters: {
      query?: {
        from?: string;
        to?: string;
        interval?: 'minute' | 'hour' | 'day';
        group_by?: 'model' | 'provider' | 'key' | 'project' | 'policy' | 'status';
        model?: string;
        provider?: string;
        key_id?: string;
        project_id?: string;
        policy?: string;
        status?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            interval: 'minute' | 'hour' | 'day';
            group_by: ('model' | 'provider' | 'key' | 'project' | 'policy' | 'status') | null;
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            series: {
              group: string | null;
              points: {
                requests: number;
                errors: number;
                prompt_tokens: number;
                completion_tokens: number;
                reasoning_tokens: number;
                cached_tokens: number;
                cost_nanousd: string;
                cost_usd: number;
                cost_unknown_requests: number;
                /** Format: date-time */
                t: string;
              }[];
            }[];
            totals: {
              requests: number;
              errors: number;
              prompt_tokens: number;
              completion_tokens: number;
              reasoning_tokens: number;
              cached_tokens: number;
              cost_nanousd: string;
              cost_usd: number;
              cost_unknown_requests: number;
            };
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminAnalyticsPerformance: {
    parameters: {
      query?: {
        from?: string;
        to?: string;
        interval?: 'minute' | 'hour' | 'day';
        group_by?: 'model' | 'provider' | 'key' | 'project' | 'policy' | 'status';
        model?: string;
        provider?: string;
        key_id?: string;
        project_id?: string;
        policy?: string;
        status?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            interval: 'minute' | 'hour' | 'day';
            group_by: ('model' | 'provider' | 'key' | 'project' | 'policy' | 'status') | null;
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            series: {
              group: string | null;
              points: {
                requests: number;
                latency_ms_p50: number | null;
                latency_ms_p95: number | null;
                latency_ms_p99: number | null;
                ttft_ms_p50: number | null;
                ttft_ms_p95: number | null;
                error_rate: number | null;
                retry_rate: number | null;
                fallback_rate: number | null;
                tokens_per_second: number | null;
                /** Format: date-time */
                t: string;
              }[];
            }[];
            totals: {
              requests: number;
              latency_ms_p50: number | null;
              latency_ms_p95: number | null;
              latency_ms_p99: number | null;
              ttft_ms_p50: number | null;
              ttft_ms_p95: number | null;
              error_rate: number | null;
              retry_rate: number | null;
              fallback_rate: number | null;
              tokens_per_second: number | null;
            };
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminAnalyticsCosts: {
    parameters: {
      query?: {
        from?: string;
        to?: string;
        interval?: 'minute' | 'hour' | 'day';
        group_by?: 'model' | 'provider' | 'key' | 'project' | 'policy' | 'status';
        model?: string;
        provider?: string;
        key_id?: string;
        project_id?: string;
        policy?: string;
        status?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            interval: 'minute' | 'hour' | 'day';
            group_by: ('model' | 'provider' | 'key' | 'project' | 'policy' | 'status') | null;
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            series: {
              group: string | null;
              points: {
                requests: number;
                cost_nanousd: string;
                cost_usd: number;
                by_source: {
                  provider: {
                    requests: number;
                    cost_nanousd: string;
                    cost_usd: number;
                  };
                  reconciled: {
                    requests: number;
                    cost_nanousd: string;
                    cost_usd: number;
                  };
                  computed: {
                    requests: number;
                    cost_nanousd: string;
                    cost_usd: number;
                  };
                  estimated: {
                    requests: number;
                    cost_nanousd: string;
                    cost_usd: number;
                  };
                  unknown: {
                    requests: number;
                  };
                };
                /** Format: date-time */
                t: string;
              }[];
            }[];
            totals: {
              requests: number;
              cost_nanousd: string;
              cost_usd: number;
              by_source: {
                provider: {
                  requests: number;
                  cost_nanousd: string;
                  cost_usd: number;
                };
                reconciled: {
                  requests: number;
                  cost_nanousd: string;
                  cost_usd: number;
                };
                computed: {
                  requests: number;
                  cost_nanousd: string;
                  cost_usd: number;
                };
                estimated: {
                  requests: number;
                  cost_nanousd: string;
                  cost_usd: number;
                };
                unknown: {
                  requests: number;
                };
              };
            };
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminAnalyticsReconciliation: {
    parameters: {
      query?: {
        from?: string;
        to?: string;
        model?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            count: number;
            skipped: number;
            mean_relative_error: number | null;
            max_relative_error: number | null;
            within_1_percent: number | null;
            upstream_cost_nanousd: string;
            computed_cost_nanousd: string;
            models: {
              model: string;
              count: number;
              mean_relative_error: number;
              max_relative_error: number;
            }[];
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminAlertsRules: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AlertRule'][];
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  postAdminAlertsRules: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name: string;
          /** @enum {string} */
          metric:
            | 'spend_usd'
            | 'budget_used_pct'
            | 'error_rate'
            | 'latency_p95_ms'
            | 'ttft_p95_ms'
            | 'requests'
            | 'fallback_rate';
          /**
           * @description Which traffic the rule watches (exact matches); empty = all of it.
           * @default {}
           */
          scope?: {
            project_id?: string;
            key_id?: string;
            model?: string;
            provider?: string;
          };
          /**
           * @description The metric covers the last N minutes (plus the current one). Ignored by budget_used_pct.
           * @default 60
           */
          window_minutes?: number;
          /** @enum {string} */
          operator: '>' | '>=' | '<' | '<=';
          threshold: number;
          /** @default [] */
          channels?: (
            | {
                /** @constant */
                type: 'webhook';
                /** @description http(s) URL; private addresses only when allowlisted. */
                url: string;
                /** @description HMAC-SHA256 signing secret (write-only). On PATCH: omitted keeps the secret of the current channel with the same URL; null removes it. */
                secret?: string | null;
              }
            | {
                /** @constant */
                type: 'log';
              }
          )[];
          /** @default true */
          enabled?: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AlertRule'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminAlertsRulesById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AlertRule'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  deleteAdminAlertsRulesById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AlertRule'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  patchAdminAlertsRulesById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name?: string;
          /** @enum {string} */
          metric?:
            | 'spend_usd'
            | 'budget_used_pct'
            | 'error_rate'
            | 'latency_p95_ms'
            | 'ttft_p95_ms'
            | 'requests'
            | 'fallback_rate';
          /** @description Which traffic the rule watches (exact matches); empty = all of it. */
          scope?: {
            project_id?: string;
            key_id?: string;
            model?: string;
            provider?: string;
          };
          window_minutes?: number;
          /** @enum {string} */
          operator?: '>' | '>=' | '<' | '<=';
          threshold?: number;
          channels?: (
            | {
                /** @constant */
                type: 'webhook';
                /** @description http(s) URL; private addresses only when allowlisted. */
                url: string;
                /** @description HMAC-SHA256 signing secret (write-only). On PATCH: omitted keeps the secret of the current channel with the same URL; null removes it. */
                secret?: string | null;
              }
            | {
                /** @constant */
                type: 'log';
              }
          )[];
          enabled?: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AlertRule'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminAlertsEvents: {
    parameters: {
      query?: {
        rule_id?: string;
        state?: 'firing' | 'resolved';
        /** @description ISO 8601 time */
        from?: string;
        /** @description ISO 8601 time */
        to?: string;
        limit?: number;
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AlertEvent'][];
            next_cursor: string | null;
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminRecommendations: {
    parameters: {
      query?: {
        days?: number;
        min_requests?: number;
        per_model?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            period: {
              /** Format: date-time */
              from: string;
              /** Format: date-time */
              to: string;
            };
            recommendations: {
              id: string;
              scope: {
                key_id: string | null;
                project_id: string | null;
              };
              current_model: string;
              requests: number;
              requirements: {
                tools: boolean;
                structured_output: boolean;
                image_input: boolean;
                reasoning: boolean;
                max_prompt_tokens: number;
              };
              current_cost_usd: number;
              alternative: {
                model: string;
                projected_cost_usd: number;
                saving_usd: number;
                saving_pct: number;
                observed: {
                  requests: number;
                  latency_p50_ms: number | null;
                  latency_p95_ms: number | null;
                  error_rate: number | null;
                };
              };
            }[];
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  postAdminRecommendationsByIdExperiment: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          traffic_pct?: number;
          policy?: string;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            recommendation_id: string;
            model: string;
            traffic_pct: number;
            results_path: string;
            policy: {
              name: string;
              description?: string;
              candidates?: {
                model: string;
                providers?: string[];
              }[];
              filter?: {
                supports?: ('tools' | 'structured_outputs' | 'reasoning' | 'vision')[];
                min_context?: number;
                max_prompt_usd_per_mtok?: number;
                max_completion_usd_per_mtok?: number;
                providers?: string[];
                include?: string[];
                exclude?: string[];
                output_modalities?: ('text' | 'image' | 'audio')[];
              };
              /** @enum {string} */
              strategy?: 'ordered' | 'cheapest' | 'fastest' | 'balanced' | 'quality' | 'weighted';
              cost_weight?: number;
              fallbacks?: number;
              ttft_timeout_ms?: number;
              max_cost_usd?: number;
              quality?: {
                [key: string]: number;
              };
              weights?: {
                [key: string]: number;
              };
              variants?: {
                name: string;
                weight: number;
                description?: string;
                candidates?: {
                  model: string;
                  providers?: string[];
                }[];
                filter?: {
                  supports?: ('tools' | 'structured_outputs' | 'reasoning' | 'vision')[];
                  min_context?: number;
                  max_prompt_usd_per_mtok?: number;
                  max_completion_usd_per_mtok?: number;
                  providers?: string[];
                  include?: string[];
                  exclude?: string[];
                  output_modalities?: ('text' | 'image' | 'audio')[];
                };
                /** @enum {string} */
                strategy?: 'ordered' | 'cheapest' | 'fastest' | 'balanced' | 'quality' | 'weighted';
                cost_weight?: number;
                fallbacks?: number;
                ttft_timeout_ms?: number;
                max_cost_usd?: number;
                quality?: {
                  [key: string]: number;
                };
                weights?: {
                  [key: string]: number;
                };
              }[];
              version: number;
              /** Format: date-time */
              updated_at: string;
              updated_by: string;
            };
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminProviders: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Provider'][];
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  postAdminProviders: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          id: string;
          /** @enum {string} */
          type: 'openrouter' | 'openai' | 'anthropic' | 'gemini' | 'openai-compatible';
          /** Format: uri */
          base_url?: string;
          api_key?: string;
          /** @default {} */
          models?: {
            [key: string]: string;
          };
          /** @default {} */
          headers?: {
            [key: string]: string;
          };
          /** @default true */
          enabled?: boolean;
          /** @default false */
          serve_catalogue?: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Provider'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminProvidersById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Provider'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  deleteAdminProvidersById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Provider'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  patchAdminProvidersById: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @enum {string} */
          type?: 'openrouter' | 'openai' | 'anthropic' | 'gemini' | 'openai-compatible';
          /** Format: uri */
          base_url?: string;
          api_key?: string | null;
          models?: {
            [key: string]: string;
          };
          headers?: {
            [key: string]: string;
          };
          enabled?: boolean;
          serve_catalogue?: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Provider'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  postAdminProvidersByIdTest: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ProviderTest'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminVault: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['VaultStatus'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  postAdminVaultRotate: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['VaultRotation'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminSettings: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RuntimeSettings'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  putAdminSettings: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description Whether operator-defined routing policies (`signalbox/<name>`) apply; off = only the built-in ones resolve. */
          routing_policies_enabled?: boolean;
          /** @description The graceful reply when every candidate failed; null = off (an error); absent = SIGNALBOX_FALLBACK_REPLY. */
          fallback_reply?: string | null;
          /** @description Whether requests over a concurrency limit wait in the queue (read by the limits feature). */
          queueing_enabled?: boolean;
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RuntimeSettings'];
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getAdminOpenapiJson: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description An error (docs/errors.md) */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
}
