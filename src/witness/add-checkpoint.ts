/**
 * The body of a c2sp.org/tlog-witness add-checkpoint request: `old <size>`, at most 63 consistency
 * proof lines (base64 hashes), a blank line, then the checkpoint note. Pure parsing: any departure
 * from the format is a NoteFormatError, which the witness answers with a 400.
 */
import { CheckpointBody, isBase64, Note, NoteFormatError, parseCheckpointText, parseNote } from '../common/signed-note';

export const MAX_PROOF_LINES = 63;
const DECIMAL = /^(0|[1-9]\d*)$/;

export interface AddCheckpointRequest {
  oldSize: number;
  proof: Buffer[];
  note: Note;
  checkpoint: CheckpointBody;
}

export function parseAddCheckpoint(body: string): AddCheckpointRequest {
  const firstBreak = body.indexOf('\n');
  const oldLine = /^old (.*)$/.exec(firstBreak < 0 ? body : body.slice(0, firstBreak))?.[1];
  if (oldLine === undefined || !DECIMAL.test(oldLine) || !Number.isSafeInteger(Number(oldLine))) {
    throw new NoteFormatError('the first line is "old <size>", the size in decimal without leading zeroes');
  }
  const proof: Buffer[] = [];
  let at = firstBreak + 1;
  for (;;) {
    const end = body.indexOf('\n', at);
    if (end < 0) throw new NoteFormatError('a blank line follows the consistency proof, then the checkpoint');
    const line = body.slice(at, end);
    at = end + 1;
    if (line === '') break;
    if (!isBase64(line) || Buffer.from(line, 'base64').length !== 32) throw new NoteFormatError('each consistency proof line is the base64 of a SHA-256 hash');
    if (proof.length === MAX_PROOF_LINES) throw new NoteFormatError(`at most ${MAX_PROOF_LINES} consistency proof lines`);
    proof.push(Buffer.from(line, 'base64'));
  }
  const note = parseNote(body.slice(at));
  return { oldSize: Number(oldLine), proof, note, checkpoint: parseCheckpointText(note.text) };
}
