/** Every value main hands to the post step, under one name each (read back as STATE_<name>). */
export const STATE = {
  credentialsDir: 'credentialsDir'
} as const
