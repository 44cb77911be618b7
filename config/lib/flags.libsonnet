// The app's feature flags, written as intents with Amber's flag library.
// The hidden fields (::) are the knobs environments turn: `flags+: { adaptive_rollout:: 50 }`.
local flags = import 'amber/flags.libsonnet';

{
  admins:: ['admin@learnapp.example'],
  beta_testers:: ['beta-tester-1', 'beta-tester-2'],
  adaptive_rollout:: 10,
  scheduler_enabled:: false,
  scheduler_rollout:: 0,

  // Adaptive learning: admins and beta testers first, then a gradual rollout.
  adaptive_learning: flags.boolean(
    enabled=true,
    allow=self.admins + self.beta_testers,
    rollout=self.adaptive_rollout,
    metadata={ owner: 'learning-team' },
  ),
  // AI-generated hints: only for app versions that can render them.
  ai_hints: flags.semverGate('>=', '2.4.0', metadata={ owner: 'ai-team' }),
  // Which diagnostic flow new learners get: an experiment over three variants.
  diagnostic_flow: flags.experiment(
    variants={ classic: 'classic', short: 'short', adaptive: 'adaptive' },
    default='classic',
    weights={ classic: 50, short: 25, adaptive: 25 },
  ),
  // The new spaced repetition scheduler: admins only until it is ready.
  new_scheduler: flags.boolean(
    enabled=self.scheduler_enabled,
    allow=self.admins,
    rollout=self.scheduler_rollout,
  ),
}
