import fs from 'node:fs';
import defaultProfile from './profile.default.json' with { type: 'json' };
import { nhsaProfileSchema, type NhsaProfile } from './profile.schema.js';

export class ProfileError extends Error {}

export interface LoadedProfile {
  profile: NhsaProfile;
  /** `built-in` or the file it came from (shown in the upload monitor). */
  source: string;
}

/** Validates a profile object; the error lists every problem with its path. */
export function parseNhsaProfile(raw: unknown, source: string): LoadedProfile {
  const parsed = nhsaProfileSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ProfileError(`invalid NHSA interface profile (${source}):\n${lines.join('\n')}`);
  }
  return { profile: parsed.data, source };
}

/**
 * The user's file wins over the shipped default; a broken file stops start-up rather than sending
 * wrong fields to a national platform.
 */
export function loadNhsaProfile(file: string | undefined, o: { optional?: boolean } = {}): LoadedProfile {
  if (!file) return parseNhsaProfile(defaultProfile, 'built-in');
  if (!fs.existsSync(file)) {
    // The data directory's profile is optional; a file named in the configuration must exist.
    if (o.optional) return parseNhsaProfile(defaultProfile, 'built-in');
    throw new ProfileError(`NHSA interface profile ${file} does not exist`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ProfileError(`invalid NHSA interface profile (${file}): not JSON — ${(err as Error).message}`);
  }
  return parseNhsaProfile(raw, file);
}

export const builtInNhsaProfile = (): NhsaProfile => parseNhsaProfile(defaultProfile, 'built-in').profile;
