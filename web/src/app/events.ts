// Window events the screens use to ask each other for focus (shortcuts, "next patient").
export const SCAN_FOCUS_EVENT = 'hb:focus-scan';
export const SEARCH_FOCUS_EVENT = 'hb:focus-search';
