import type { BindingRow, GrantRow } from '../../db/repositories/grants.repository.js';
import type { OperatorRow } from '../../db/repositories/operators.repository.js';
import type { UnitRow, UnitSecretColumn } from '../../db/repositories/units.repository.js';
import type { Business, GrantView, OperatorView, UnitCredential, UnitView } from '../contract/accounts.js';
import type { FieldCipher } from '../security/field-crypto.js';
import { maskIdNumber, maskPhone } from '../security/masking.js';

export const CREDENTIAL_COLUMNS: Record<UnitCredential, UnitSecretColumn> = {
  nhsaAk: 'nhsa_ak_enc',
  nhsaSk: 'nhsa_sk_enc',
  gansuLoginId: 'gansu_login_id_enc',
  gansuPassword: 'gansu_password_enc',
  gansuPublicKey: 'gansu_public_key_enc',
  gansuAppKey: 'gansu_app_key_enc',
};

export const PHONE_CONTEXT = 'operators.phone_enc';
export const ID_NUMBER_CONTEXT = 'operators.id_number_enc';

/** Secrets never leave as values: the view only says whether each one is stored. */
export function toUnitView(u: UnitRow): UnitView {
  const credentials = Object.fromEntries(
    (Object.keys(CREDENTIAL_COLUMNS) as UnitCredential[]).map((k) => [k, u.secrets[CREDENTIAL_COLUMNS[k]] === null ? 'not set' : 'set']),
  ) as UnitView['credentials'];
  return { id: u.id, name: u.name, uscc: u.uscc, type: u.type, address: u.address, disabled: u.disabled, credentials, createdAt: u.createdAt, updatedAt: u.updatedAt };
}

export function toGrantView(g: GrantRow): GrantView {
  return { operatorId: g.operatorId, unitId: g.unitId, business: g.business, grantedAt: g.grantedAt, grantedBy: g.grantedBy };
}

/** Personal data is decrypted only to be masked here; the clear value goes out only via an audited reveal. */
export function toOperatorViews(ops: readonly OperatorRow[], bindings: readonly BindingRow[], grants: readonly GrantRow[], cipher: FieldCipher): OperatorView[] {
  return ops.map((o) => ({
    id: o.id,
    username: o.username,
    displayName: o.displayName,
    phone: o.phoneEnc === null ? null : maskPhone(cipher.decrypt(o.phoneEnc, PHONE_CONTEXT)),
    idNumber: o.idNumberEnc === null ? null : maskIdNumber(cipher.decrypt(o.idNumberEnc, ID_NUMBER_CONTEXT)),
    isAdmin: o.isAdmin,
    disabled: o.disabled,
    mustChangePassword: o.mustChangePassword,
    lockedUntil: o.lockedUntil,
    badge: o.badgeHash === null ? 'not set' : 'set',
    pin: o.pinHash === null ? 'not set' : 'set',
    units: bindings
      .filter((b) => b.operatorId === o.id)
      .map((b) => ({
        unitId: b.unitId,
        businesses: grants.filter((g) => g.operatorId === o.id && g.unitId === b.unitId).map((g) => g.business as Business),
      })),
    createdAt: o.createdAt,
  }));
}
