/*
 * Path questions belong to the one protection model in main/guard; the policy's names for them
 * stay here so the command checks read as before.
 */
export {
  decideAccess as decidePath,
  sensitiveMatch,
  type ProtectionModel as PathContext,
} from '../guard/model';
export { absoluteUnnormalised, isInside, lexicalPath, lexists, resolveReal } from '../guard/paths';
export { DEFAULT_SENSITIVE_HOME_PATHS, type SensitiveEntry } from '../guard/sensitive';
