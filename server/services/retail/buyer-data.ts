import type { SaleRow } from '../../../db/repositories/sales.repository.js';
import { normalizeResidentId } from '../../domain/identity/index.js';
import { maskAddress, maskIdNumber, maskName, maskPhone } from '../../security/masking.js';
import type { BlindIndex, FieldCipher } from '../../security/field-crypto.js';
import type { SaleBuyerBody } from '../../contract/retail.js';

export interface Buyer {
  name?: string;
  idNumber?: string;
  phone?: string;
  residence?: string;
}

/**
 * Buyer identity at rest: each field AES-GCM-encrypted under its own column as associated data,
 * the ID number also as a keyed HMAC so earlier purchases of the same person are found without
 * decrypting. Screens get masked values only.
 */
export class BuyerData {
  constructor(
    private readonly cipher: FieldCipher,
    private readonly index: BlindIndex,
  ) {}

  columns(b: SaleBuyerBody): Record<string, string | null> {
    const enc = (v: string | undefined, col: string) => (v ? this.cipher.encrypt(v, `sales.${col}`) : null);
    const id = b.idNumber ? normalizeResidentId(b.idNumber) : undefined;
    return {
      buyer_name_enc: enc(b.name, 'buyer_name_enc'),
      buyer_id_enc: enc(id, 'buyer_id_enc'),
      buyer_id_index: id ? this.indexOf(id) : null,
      buyer_phone_enc: enc(b.phone, 'buyer_phone_enc'),
      buyer_residence_enc: enc(b.residence, 'buyer_residence_enc'),
    };
  }

  indexOf(idNumber: string): string {
    return this.index.of(normalizeResidentId(idNumber), 'buyer-id');
  }

  read(s: SaleRow): Buyer | undefined {
    const dec = (v: string | null, col: string) => (v ? this.cipher.decrypt(v, `sales.${col}`) : undefined);
    const b: Buyer = { name: dec(s.buyer.nameEnc, 'buyer_name_enc'), idNumber: dec(s.buyer.idEnc, 'buyer_id_enc'), phone: dec(s.buyer.phoneEnc, 'buyer_phone_enc'), residence: dec(s.buyer.residenceEnc, 'buyer_residence_enc') };
    return Object.values(b).some((v) => v !== undefined) ? b : undefined;
  }

  /** The register keeps its own ciphertexts (its own columns as associated data). */
  forRegister(b: Buyer | undefined): { nameEnc: string | null; idEnc: string | null; idIndex: string | null } {
    return {
      nameEnc: b?.name ? this.cipher.encrypt(b.name, 'register_entries.buyer_name_enc') : null,
      idEnc: b?.idNumber ? this.cipher.encrypt(b.idNumber, 'register_entries.buyer_id_enc') : null,
      idIndex: b?.idNumber ? this.indexOf(b.idNumber) : null,
    };
  }

  masked(b: Buyer | undefined): { name: string | null; idNumber: string | null; phone: string | null; residence: string | null } | null {
    if (!b) return null;
    return {
      name: b.name ? maskName(b.name) : null,
      idNumber: b.idNumber ? maskIdNumber(b.idNumber) : null,
      phone: b.phone ? maskPhone(b.phone) : null,
      residence: b.residence ? maskAddress(b.residence) : null,
    };
  }
}
