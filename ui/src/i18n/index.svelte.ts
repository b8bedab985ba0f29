import type { Lang, Localized } from '../../../server/contract/views.js';
import { zhCN } from './zh-CN.js';
import { en } from './en.js';

export type MessageKey = keyof typeof zhCN;
export type Messages = Record<MessageKey, string>;

const STORAGE_KEY = 'tracedock.lang';
const dictionaries: Record<Lang, Messages> = { 'zh-CN': zhCN, en };

function initialLang(): Lang {
  // zh-CN unless someone on this PC explicitly switched; the browser locale of a dock PC is often wrong.
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

class I18n {
  lang = $state<Lang>(initialLang());

  constructor() {
    document.documentElement.lang = this.lang;
  }

  set(lang: Lang): void {
    this.lang = lang;
    document.documentElement.lang = lang;
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // Private mode or storage disabled: the switch still works for this session.
    }
  }

  toggle(): void {
    this.set(this.lang === 'zh-CN' ? 'en' : 'zh-CN');
  }
}

export const i18n = new I18n();

/** Translates a key; reading i18n.lang makes every caller in a template re-render on a switch. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text = dictionaries[i18n.lang][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** For keys built at run time (audit action names): whether the dictionary has one. */
export function hasKey(key: string): key is MessageKey {
  return key in zhCN;
}

/** Picks the current language from a server-provided Localized text. */
export function loc(text: Localized | null | undefined): string | null {
  return text ? text[i18n.lang] : null;
}
