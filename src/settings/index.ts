export { DEFAULT_GREETING, DEFAULT_SETTINGS_FILE, loadSettingsFile, parseSettings, SettingsError, type Settings } from './load';
export { SettingsHolder } from './holder';
export { reloadSettings, type ReloadLogger } from './reload';
export type * from './types';
export { DEFAULT_LABEL, FALLBACK_LABEL, nodeExits, type NodeExit } from './exits';
