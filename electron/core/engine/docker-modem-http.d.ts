/** docker-modem's internal follow-redirects helper; Berth only sets its limit (see request-guard.ts). */
declare module 'docker-modem/lib/http.js' {
  const modemHttp: { maxRedirects: number };
  export default modemHttp;
}
