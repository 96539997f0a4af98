// The preload (or the e2e bridge) puts exactly the typed contract on window.api; nothing else is reachable.
import type { Api } from '../../common/contract';

declare global {
  interface Window {
    readonly api: Api;
  }
}
