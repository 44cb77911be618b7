// Development: debug on, the mock AI provider as a fallback, every flag on.
local base = import 'lib/base.libsonnet';

base {
  debug: true,
  spaced_repetition+: { batch_size: 20, cache_ttl_seconds: 10 },
  ai_provider+: {
    fallback_providers: ['openai', 'mock'],
    request_timeout_seconds: 10,
    max_retries: 1,
  },
  flags+: {
    adaptive_rollout:: 100,
    scheduler_enabled:: true,
    scheduler_rollout:: 100,
  },
}
