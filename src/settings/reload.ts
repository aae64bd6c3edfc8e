import { loadSettingsFile, SettingsError } from './load';
import type { SettingsHolder } from './holder';

export interface ReloadLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Reads the config file again and swaps it in when it is valid. An invalid file changes nothing:
 * the running settings stay, and one log line names the file, the JSON path and the problem.
 */
export function reloadSettings(file: { path: string; explicit: boolean }, holder: SettingsHolder, logger: ReloadLogger): boolean {
  try {
    holder.replace(loadSettingsFile(file.path, file.explicit));
  } catch (err) {
    const problem = err instanceof SettingsError ? err.message : `${file.path}: ${(err as Error).message}`;
    logger.error({ problem }, 'config file not reloaded; the running config stays');
    return false;
  }
  logger.info({ file: file.path }, 'config file reloaded');
  return true;
}
