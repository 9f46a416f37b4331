/** Long-term or temporary (STS) credentials. */
export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  /** When temporary credentials stop working; providers are asked again shortly before. */
  expiration?: Date;
}

export type CredentialsProvider = () => Promise<Credentials>;
