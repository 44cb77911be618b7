// Production: bigger batches, real providers only, every key a secret reference.
local base = import 'lib/base.libsonnet';

base {
  spaced_repetition+: { batch_size: 500, cache_ttl_seconds: 600 },
  interleaving+: { max_session_size: 40 },
  ai_provider+: {
    fallback_providers: ['openai', 'anthropic'],
    api_keys+: { anthropic: { '$secret': 'env:ANTHROPIC_API_KEY' } },
    max_retries: 5,
    rate_limits+: { requests_per_minute: 600, tokens_per_minute: 1000000 },
  },
} + {
  diagnostic+: { extra: std.foldl(function(acc, i) [acc], std.range(1, 120), 0) },
}
