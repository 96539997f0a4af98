/** Writes a finished report (HTML text or PDF bytes) so that the target appears whole or not at all. */
import { AtomicFile } from '../export/atomic-file';

export async function writeWhole(target: string, data: Buffer): Promise<number> {
  const file = await AtomicFile.create(target);
  try {
    await file.write(data);
    await file.commit();
  } catch (err) {
    await file.discard();
    throw err;
  }
  return data.length;
}
