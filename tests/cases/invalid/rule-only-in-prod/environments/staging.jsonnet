// Staging: production-like, with the mock provider as a last resort and wider rollouts.
local base = import 'lib/base.libsonnet';

base {
  spaced_repetition+: { batch_size: 200 },
  ai_provider+: {
    fallback_providers: ['openai', 'mock'],
  },
  flags+: {
    beta_testers+:: ['qa@learnapp.example'],
    adaptive_rollout:: 50,
    scheduler_enabled:: true,
  },
} + {
  debug: true,
}
