import { entryOf, SEALED_EXPORT_FORMAT, sealOf } from './export-format';
import { compareIds, entryHash, GENESIS_SEAL_HASH, isEntryId, type Seal } from './merkle';
import type { SealKeyring } from './seal-signature';
import {
  firstSigned,
  linkProblem,
  type Located,
  sealProblem,
  type SignaturePolicy,
  type VerifyFinding,
} from './verify';

export interface ExportVerification {
  ok: boolean;
  /** Seals in the export; of those found sound, how many are signed and how many not. */
  seals: number;
  signedSeals: number;
  unsignedSeals: number;
  /** Keys that signed the export's seals: compare them with the hub's published key ids. */
  keyIds: string[];
  /** Entries found exactly as sealed. */
  checkedEntries: number;
  /** Entries newer than every seal in the export (not sealed yet when it was made). */
  uncheckedEntries: number;
  /** The first problem in id order, and the line of the export it is on. */
  firstProblem?: VerifyFinding & { line: number };
}

type Found = Located & { line: number };

/**
 * Checks a sealed export (export-format.ts) with public keys alone: each seal's hash, form and
 * signature, the chain wherever two consecutive seals are both in the export, and each entry
 * against the leaf hash its seal lists for its id. It proves that every entry in the export is
 * exactly as the hub sealed it; it cannot prove that no entry the filter matched was left out
 * (the hub applied the filter). A line that is not JSON, or a file that is not a sealed export,
 * is an error (thrown, with its line number) rather than a finding.
 */
export async function verifySealedExport(
  lines: AsyncIterable<string> | Iterable<string>,
  keyring: SealKeyring,
  options: { signedFrom?: number } = {},
): Promise<ExportVerification> {
  const reader = new ExportReader(keyring, options.signedFrom);
  let n = 0;
  for await (const text of lines) {
    n += 1;
    if (text.trim() !== '') reader.line(text, n);
  }
  return reader.result();
}

class ExportReader {
  private stage: 'header' | 'seals' | 'entries' = 'header';
  private readonly seals: { seal: Seal; line: number }[] = [];
  /** Seals found unsound: their entries are judged by nothing. */
  private readonly unsound = new Set<number>();
  private sealFound?: Found;
  private entryFound?: Found;
  private cursor = 0;
  private ids?: Map<string, number>;
  private lastId?: string;
  private checkedEntries = 0;
  private uncheckedEntries = 0;

  constructor(
    private readonly keyring: SealKeyring,
    private readonly signedFrom: number | undefined,
  ) {}

  line(text: string, n: number): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new Error(`line ${n}: not JSON`);
    }
    const record = (value ?? {}) as Record<string, unknown>;
    if (this.stage === 'header') {
      if (record.format !== SEALED_EXPORT_FORMAT) {
        throw new Error(
          `line ${n}: not a sealed export (no "format": "${SEALED_EXPORT_FORMAT}" header); export with --format sealed`,
        );
      }
      this.stage = 'seals';
    } else if (this.stage === 'seals' && 'seal' in record) {
      this.addSeal(record.seal, n);
    } else if ('entry' in record && typeof record.entry === 'object' && record.entry !== null) {
      if (this.stage === 'seals') this.checkSeals();
      this.stage = 'entries';
      this.checkEntry(record.entry as Record<string, unknown>, n);
    } else {
      throw new Error(`line ${n}: expected ${this.stage === 'seals' ? 'a seal or ' : ''}an entry`);
    }
  }

  result(): ExportVerification {
    if (this.stage !== 'entries') this.checkSeals();
    const sound = this.seals.filter((s) => !this.unsound.has(s.seal.sequence)).map((s) => s.seal);
    const keyIds = new Set(this.seals.flatMap((s) => (s.seal.keyId ? [s.seal.keyId] : [])));
    const found = [this.sealFound, this.entryFound]
      .filter((f): f is Found => f !== undefined)
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))[0];
    return {
      ok: found === undefined,
      seals: this.seals.length,
      signedSeals: sound.filter((s) => s.signature !== undefined).length,
      unsignedSeals: sound.filter((s) => s.signature === undefined).length,
      keyIds: [...keyIds],
      checkedEntries: this.checkedEntries,
      uncheckedEntries: this.uncheckedEntries,
      ...(found && { firstProblem: { ...found.finding, line: found.line } }),
    };
  }

  private addSeal(raw: unknown, n: number): void {
    const seal = (() => {
      try {
        return sealOf(raw);
      } catch (e) {
        throw new Error(`line ${n}: ${(e as Error).message}`);
      }
    })();
    const previous = this.seals[this.seals.length - 1]?.seal;
    if (previous && seal.sequence <= previous.sequence) {
      throw new Error(`line ${n}: seals out of sequence order`);
    }
    this.seals.push({ seal, line: n });
  }

  /** Every seal on its own, and its link to the one before wherever that one is here too. */
  private checkSeals(): void {
    const policy: SignaturePolicy = {
      keyring: this.keyring,
      signedFrom: this.signedFrom ?? firstSigned(this.seals.map((s) => s.seal)),
    };
    let previous: Seal | undefined;
    for (const { seal, line } of this.seals) {
      const at = BigInt(seal.firstEntryId) - 1n;
      const adjacent = previous?.sequence === seal.sequence - 1 ? previous : undefined;
      const linked = adjacent || seal.sequence === 1;
      // Seals further apart cannot be linked here, but their ranges must still ascend.
      const overlaps =
        previous !== undefined &&
        !adjacent &&
        compareIds(seal.firstEntryId, previous.lastEntryId) <= 0;
      const problem: Located | undefined =
        (linked ? linkProblem(seal, adjacent, GENESIS_SEAL_HASH, at) : undefined) ??
        (overlaps
          ? { finding: { kind: 'SEAL_CHAIN_BROKEN', sealSequence: seal.sequence }, at }
          : undefined) ??
        sealProblem(seal, policy, at);
      if (problem) {
        this.unsound.add(seal.sequence);
        if (!this.sealFound || problem.at < this.sealFound.at)
          this.sealFound = { ...problem, line };
      }
      previous = seal;
    }
  }

  private checkEntry(raw: Record<string, unknown>, line: number): void {
    const id = raw.id;
    if (!isEntryId(id)) throw new Error(`line ${line}: an entry without a valid id`);
    if (this.lastId !== undefined && compareIds(id, this.lastId) < 0) {
      throw new Error(`line ${line}: entries out of id order`);
    }
    const repeated = this.lastId === id;
    this.lastId = id;
    const seal = this.sealOver(id);
    const found = (finding: VerifyFinding) => {
      this.entryFound ??= { finding, at: BigInt(id), line };
    };
    if (!seal) {
      const newest = this.seals[this.seals.length - 1]?.seal;
      // Seals cover the log without gaps: an id below the newest seal's end that none of the
      // export's seals covers was never sealed where it stands.
      if (newest && compareIds(id, newest.lastEntryId) <= 0) {
        return found({ kind: 'INSERTED', entryId: id, sealSequence: null });
      }
      this.uncheckedEntries += 1;
      return;
    }
    if (this.unsound.has(seal.sequence)) return;
    const index = this.ids!.get(id);
    if (index === undefined || repeated) {
      return found({ kind: 'INSERTED', entryId: id, sealSequence: seal.sequence });
    }
    const entry = entryOf(raw);
    if (!entry || entryHash(entry) !== seal.leafHashes[index]) {
      return found({ kind: 'ALTERED', entryId: id, sealSequence: seal.sequence });
    }
    this.checkedEntries += 1;
  }

  /** The seal whose id range holds `id`; entries come in id order, so the cursor only advances. */
  private sealOver(id: string): Seal | undefined {
    while (
      this.cursor < this.seals.length &&
      compareIds(this.seals[this.cursor].seal.lastEntryId, id) < 0
    ) {
      this.cursor += 1;
      this.ids = undefined;
    }
    const seal = this.seals[this.cursor]?.seal;
    if (!seal || compareIds(seal.firstEntryId, id) > 0) return undefined;
    this.ids ??= new Map(seal.entryIds.map((x, i) => [x, i]));
    return seal;
  }
}
