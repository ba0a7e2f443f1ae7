/*
 * The command rule lists of `[commands]`, apart from the policy-edit schemas: the config reader
 * needs the names, and importing them must not build every schema of the policy editor (the CLI
 * would pay for that at each start).
 */

export const COMMAND_RULE_LISTS = [
  'allow_list',
  'deny_list',
  'allow_glob',
  'deny_glob',
  'allow_regex',
  'deny_regex',
  'approval_prefixes',
] as const;
export type CommandRuleList = (typeof COMMAND_RULE_LISTS)[number];
