import { ConfigError, loadConfig, type Config } from '../config';
import { loadSettingsFile, SettingsError, type Settings } from '../settings';
import type { CliContext } from './context';
import { CliError } from './errors';

/** The configuration as the server loads it at start-up, failing with the same one-line messages. */
export function loadServerConfig(ctx: CliContext): { config: Config; settings: Settings } {
  let config: Config;
  try {
    config = loadConfig(ctx.env.raw, ctx.cwd);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(`configuration error: ${err.message}`);
    throw err;
  }
  try {
    return { config, settings: loadSettingsFile(config.settingsFile.path, config.settingsFile.explicit) };
  } catch (err) {
    if (err instanceof SettingsError) throw new CliError(`configuration error: ${err.message}`);
    throw err;
  }
}
