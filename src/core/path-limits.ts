import { UsageError } from "./output/errors.js";

/** NAME_MAX of ext4, xfs, btrfs, APFS and NTFS: bytes of one path segment. */
export const NAME_MAX_BYTES = 255;
/** PATH_MAX on Linux. */
export const PATH_MAX_BYTES = 4096;

/** A name the file system would refuse is bad input (exit 2), found before anything is written. */
export function assertPathLimits(root: string, paths: readonly string[]): void {
  for (const file of paths) {
    const tooLong = file.split("/").find((segment) => Buffer.byteLength(segment) > NAME_MAX_BYTES);
    if (tooLong !== undefined) {
      throw new UsageError(
        `The file name ${tooLong.slice(0, 40)}... (in ${file.split("/").slice(0, -1).join("/") || "."}) is ${String(Buffer.byteLength(tooLong))} bytes; file systems allow ${String(NAME_MAX_BYTES)}.`,
        ["Choose a shorter name."],
      );
    }
    if (Buffer.byteLength(`${root}/${file}`) >= PATH_MAX_BYTES) {
      throw new UsageError(
        `The path of ${file.slice(0, 60)}... is longer than the ${String(PATH_MAX_BYTES)} bytes the system allows.`,
        ["Choose a shorter name or a shallower directory."],
      );
    }
  }
}
