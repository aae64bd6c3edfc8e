import type { Settings } from './load';

/**
 * The settings the app runs with now. Routes read `current` per request, so that a reload
 * (SIGHUP) takes effect from the next webhook on; a request already running keeps the settings
 * it started with. One holder per app, passed in its deps, never a module variable.
 */
export class SettingsHolder {
  constructor(private settings: Settings) {}

  get current(): Settings {
    return this.settings;
  }

  /** `next` must be validated already (loadSettingsFile): a bad file never gets this far. */
  replace(next: Settings): void {
    this.settings = next;
  }
}
