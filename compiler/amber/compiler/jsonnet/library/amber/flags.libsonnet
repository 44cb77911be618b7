// Amber's flag library: flagd flag definitions from simple intents.
//
//   local flags = import 'amber/flags.libsonnet';
//   flags.boolean(enabled=true, allow=['admin@example.com'], rollout=25)
//
// Everything here produces plain flagd JSON ("state", "variants", "defaultVariant",
// "targeting", "metadata"), so the output is readable in review and runs unchanged in flagd.
local targetingKey = { var: 'targetingKey' };

// Shared rules, usable inside `targeting` of any flag.
local rule = {
  // The context attribute `attr` (default: the targeting key) is one of `values`.
  inList(values, attr='targetingKey')::
    // An array, not a string: `in` on a string is a substring test ("corp" in "alice@corp").
    assert std.isArray(values) : 'flags.rule.inList: values must be an array, not %s' % std.manifestJsonMinified(values);
    assert attr != 'targetingKey' || std.all([std.isString(v) for v in values]) :
           'flags.rule.inList: targeting keys are strings; %s never matches' % std.manifestJsonMinified(values);
    { 'in': [{ var: attr }, values] },
  // The context attribute `attr` is a semantic version satisfying `op` `version`.
  semver(op, version, attr='app_version'):: { sem_ver: [{ var: attr }, op, version] },
  startsWith(attr, prefix):: { starts_with: [{ var: attr }, prefix] },
  endsWith(attr, suffix):: { ends_with: [{ var: attr }, suffix] },
  // Split users between variants by weight, deterministically (flagd `fractional`).
  // `weights` is [[variant, weight], ...]; bucketing is on flag key + targeting key.
  split(weights)::
    assert std.isArray(weights) && std.all([std.isArray(w) && std.length(w) >= 1 && std.length(w) <= 2 for w in weights]) :
           'flags.rule.split: weights must be [[variant, weight], ...], not %s' % std.manifestJsonMinified(weights);
    // [variant] alone weighs 1, as in flagd.
    { fractional: [if std.length(w) == 1 then [w[0]] else [w[0], w[1]] for w in weights] },
  // First matching [condition, variant] pair wins; `otherwise` (null: the default variant).
  firstOf(cases, otherwise=null)::
    { 'if': std.flattenArrays([[c[0], c[1]] for c in cases]) + [otherwise] },
};

local withMetadata(flag, metadata) =
  if std.length(metadata) == 0 then flag else flag { metadata: metadata };

{
  rule:: rule,

  // An on/off flag.
  //   enabled  false: off for everyone, allow-lists included (flagd state DISABLED: the
  //            app's own default answers, reason DISABLED)
  //   allow    targeting keys that are always on (admins, beta testers)
  //   rollout  percentage (integer 0-100) of everyone else that is on; raising it keeps
  //            everyone who was already on
  //   require  an extra condition (JsonLogic) a user must meet to be in the rollout
  boolean(enabled=true, allow=[], rollout=100, require=null, metadata={})::
    assert std.isBoolean(enabled) : 'flags.boolean: enabled must be true or false';
    assert std.isArray(allow) && std.all([std.isString(k) for k in allow]) :
           'flags.boolean: allow must be an array of targeting keys (strings), not %s' % std.manifestJsonMinified(allow);
    assert std.isNumber(rollout) && rollout == std.floor(rollout) && rollout >= 0 && rollout <= 100 :
           'flags.boolean: rollout must be an integer percentage from 0 to 100, not %s' % std.manifestJsonMinified(rollout);
    local everyone =
      if rollout == 100 then 'on'
      else if rollout == 0 then null
      else rule.split([['on', rollout], ['off', 100 - rollout]]);
    local gated = if require == null || everyone == null then everyone
                  else { 'if': [require, everyone, null] };
    local cases = (if std.length(allow) > 0 then [[rule.inList(allow), 'on']] else []);
    local targeting =
      if !enabled || gated == 'on' then null
      else if std.length(cases) == 0 then gated
      else rule.firstOf(cases, gated);
    local static = if enabled && gated == 'on' then 'on' else 'off';
    withMetadata({
      state: if enabled then 'ENABLED' else 'DISABLED',
      variants: { on: true, off: false },
      defaultVariant: static,
    } + (if targeting == null then {} else { targeting: targeting }), metadata),

  // A multi-variant flag (an experiment): `variants` maps names to values of one type;
  // `weights` gives integer weights for a deterministic split of all users, as
  // [[name, weight], ...] (buckets in that order) or {name: weight} (in name order);
  // `allow` maps names to targeting keys pinned to that variant.
  experiment(variants, default, weights={}, allow={}, metadata={})::
    assert std.isObject(variants) : 'flags.experiment: variants must be an object {name: value}';
    assert std.objectHas(variants, default) : 'flags.experiment: default %s is not a variant' % default;
    assert std.isObject(allow) : 'flags.experiment: allow must be an object {variant: [targeting keys]}';
    assert std.all([std.objectHas(variants, name) for name in std.objectFields(allow)]) :
           'flags.experiment: allow names %s; variants are %s' % [std.objectFields(allow), std.objectFields(variants)];
    assert std.all([std.isArray(allow[n]) && std.all([std.isString(k) for k in allow[n]]) for n in std.objectFields(allow)]) :
           'flags.experiment: allow maps each variant to an array of targeting keys (strings), not %s' % std.manifestJsonMinified(allow);
    local split = if std.isArray(weights) then weights
                  else [[name, weights[name]] for name in std.objectFields(weights)];
    local pinned = [[rule.inList(allow[name]), name] for name in std.objectFields(allow)];
    local everyone = if std.length(split) == 0 then null else rule.split(split);
    local targeting =
      if std.length(pinned) == 0 then everyone else rule.firstOf(pinned, everyone);
    withMetadata({
      state: 'ENABLED',
      variants: variants,
      defaultVariant: default,
    } + (if targeting == null then {} else { targeting: targeting }), metadata),

  // On for apps whose version (context attribute `attr`) satisfies `op` `version`,
  // e.g. flags.semverGate('>=', '2.1.0').
  semverGate(op, version, attr='app_version', metadata={})::
    withMetadata({
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: { 'if': [rule.semver(op, version, attr), 'on', null] },
    }, metadata),

  // A flag switched off entirely: flagd returns the caller's default with reason DISABLED.
  disabled(flag):: flag { state: 'DISABLED' },
}
