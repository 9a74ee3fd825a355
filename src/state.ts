/** Every value main hands to the post step, under one name each (read back as STATE_<name>). */
export const STATE = {
  isPost: 'isPost',
  credentialsDir: 'credentialsDir'
} as const

/** True in the post step: main saved the marker, and the runner passes it back as STATE_isPost. */
export function isPost(): boolean {
  return process.env[`STATE_${STATE.isPost}`] === 'true'
}

export function savedCredentialsDir(): string {
  return process.env[`STATE_${STATE.credentialsDir}`] ?? ''
}
