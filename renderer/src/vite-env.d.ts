// CSS imports and import.meta.env, as Vite resolves them.
/// <reference types="vite/client" />
