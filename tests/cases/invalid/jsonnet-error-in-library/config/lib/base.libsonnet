// The learning app's configuration: defaults shared by every environment.
// An environment file imports this and overrides only what differs.
local flags = import 'lib/flags.libsonnet';

{
  environment: std.extVar('env'),
  debug: false,

  // Spaced repetition: when a card comes back for review.
  spaced_repetition: {
    default_algorithm: 'sm2',
    available_algorithms: ['sm2', 'leitner'],
    sm2: {
      initial_ease_factor: 2.5,
      minimum_ease_factor: 1.3,
      easy_bonus: 1.3,
    },
    leitner: {
      box_count: 5,
      // Days until the next review for a card in box 1..box_count.
      review_intervals_days: [1, 2, 4, 8, 16],
    },
    max_interval_days: error 'max_interval_days is not set',
    batch_size: 100,
    cache_ttl_seconds: 300,
  },

  // Interleaving: how a study session mixes due, interleaved and new cards.
  interleaving: {
    default_weights: { due: 0.6, interleave: 0.25, new: 0.15 },
    min_session_size: 5,
    max_session_size: 50,
    difficulty_multipliers: { beginner: 0.8, intermediate: 1.0, advanced: 1.2, expert: 1.5 },
  },

  // Diagnostic: the placement test a learner takes first.
  diagnostic: {
    assessment: {
      question_count: 20,
      time_limit_minutes: 30,
      passing_score: 0.7,
      adaptive: true,
    },
    question_selection: {
      strategy: 'coverage',
      max_per_topic: 3,
      difficulty_range: { min: 1, max: 5 },
    },
    feedback: {
      show_correct_answers: true,
      show_explanations: true,
      delay_seconds: 0,
    },
  },

  // AI providers that generate hints and explanations, with fallbacks.
  ai_provider: {
    primary_provider: 'gemini',
    fallback_providers: ['openai'],
    api_keys: {
      gemini: { '$secret': 'env:GEMINI_API_KEY' },
      openai: { '$secret': 'env:OPENAI_API_KEY' },
    },
    request_timeout_seconds: 30,
    max_retries: 3,
    circuit_breaker: {
      enabled: true,
      failure_threshold: 5,
      reset_timeout_seconds: 60,
    },
    rate_limits: {
      requests_per_minute: 60,
      tokens_per_minute: 100000,
    },
  },

  flags: flags,
}
