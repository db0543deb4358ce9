import request from 'supertest';
import { TestApp } from './harness';

/** A signed-in console session for supertest: its cookie header and CSRF token. */
export interface ConsoleLogin {
  cookie: string;
  csrf: string;
}

export async function consoleSignIn(t: TestApp, token: string, operator = 'alice'): Promise<ConsoleLogin> {
  const res = await request(t.server).post('/console/login').type('form').send({ operator, token }).expect(303);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0] ?? '';
  const cookie = setCookie.split(';')[0];
  const page = await request(t.server).get('/console').set('cookie', cookie).expect(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (csrf === undefined) {
    throw new Error('no CSRF token on the overview');
  }
  return { cookie, csrf };
}
