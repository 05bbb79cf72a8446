/**
 * Deploys to Heroku and Azure App Service: the names each platform accepts, the endpoints Berth talks to,
 * the sign-in flows and the deploy model the deploy streams carry. Pure (imported by the renderer too).
 */
import { z } from 'zod';
import { ErrorShape } from './errors';
import { RunId } from './ids';
import { ImageRef } from './image-reference';
import { FolderPath } from './projects';

// ───────────────────────────── Names each platform accepts ─────────────────────────────

/** Heroku app names: 3–30 characters, lowercase letters, digits and dashes, starting with a letter. */
export const HEROKU_APP_NAME = /^[a-z][a-z0-9-]{2,29}$/;
export const HerokuAppName = z
  .string({ message: 'the app name must be text' })
  .regex(HEROKU_APP_NAME, 'a Heroku app name has 3–30 lowercase letters, digits or dashes, starting with a letter');

/** An Azure subscription id (a GUID). */
export const AzureSubscriptionId = z
  .string({ message: 'the subscription id must be text' })
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'not a subscription id');
/** Resource group names: 1–90 letters, digits, _ - . ( ), not ending in a period. */
export const AzureResourceGroup = z
  .string({ message: 'the resource group must be text' })
  .regex(/^[-\w.()]{0,89}[-\w()]$/, 'a resource group has 1–90 letters, digits, _ - . ( ) and does not end in "."');
/** App Service plan names: 1–40 letters, digits and dashes. */
export const AzurePlanName = z
  .string({ message: 'the plan name must be text' })
  .regex(/^[a-zA-Z0-9-]{1,40}$/, 'a plan name has 1–40 letters, digits or dashes');
/** Web app names: 2–60 letters, digits and dashes, not starting or ending with a dash. */
export const AzureSiteName = z
  .string({ message: 'the app name must be text' })
  .regex(
    /^[a-zA-Z0-9][a-zA-Z0-9-]{0,58}[a-zA-Z0-9]$/,
    'an App Service name has 2–60 letters, digits or dashes, and neither starts nor ends with a dash',
  );
/** An Azure region's programmatic name, e.g. westeurope. */
export const AzureLocation = z
  .string({ message: 'the region must be text' })
  .regex(/^[a-z0-9]{2,40}$/, 'a region is written like westeurope or eastus2');

// ───────────────────────────── Endpoints ─────────────────────────────

export const AzureCloud = z.enum(['public', 'usgov', 'china']);
export type AzureCloud = z.infer<typeof AzureCloud>;

/** Where Berth sends deploy requests: the defaults, or the environment's overrides (named in `overridden`). */
export const DeployEndpoints = z.object({
  heroku: z.object({ apiUrl: z.string(), registry: z.string() }),
  azure: z.object({ cloud: AzureCloud, armUrl: z.string(), authorityHost: z.string() }),
  /** The environment variables that replaced a default. */
  overridden: z.array(z.string()),
  /** An environment variable with an unusable value: deploys to that platform refuse to start. */
  problems: z.array(z.object({ variable: z.string(), message: z.string() })),
});
export type DeployEndpoints = z.infer<typeof DeployEndpoints>;

// ───────────────────────────── Heroku ─────────────────────────────

export const HerokuApp = z.object({
  name: z.string(),
  stack: z.string(),
  buildStack: z.string(),
  webUrl: z.string().nullable(),
  region: z.string().nullable(),
});
export type HerokuApp = z.infer<typeof HerokuApp>;

export const HerokuSignIn = z
  .object({
    apiKey: z.string().min(1, 'enter the API key (heroku auth:token, or Account settings → API key)').max(512),
    remember: z.boolean().default(false),
  })
  .strict();

/** A mistake in heroku.yml, with its line (1-based). */
export const HerokuYmlProblem = z.object({ line: z.number(), message: z.string() });
export const HerokuYmlCheck = z.object({
  path: z.string(),
  found: z.boolean(),
  problems: z.array(HerokuYmlProblem),
});
export type HerokuYmlCheck = z.infer<typeof HerokuYmlCheck>;

export const HerokuDeployRequest = z
  .object({
    source: ImageRef.describe('the local image to release'),
    app: HerokuAppName,
    /** Deploy although the image has not passed "Run as Heroku" in this session: the user's deliberate choice. */
    overrideParity: z.boolean().default(false),
  })
  .strict();
export type HerokuDeployRequest = z.infer<typeof HerokuDeployRequest>;

// ───────────────────────────── Azure ─────────────────────────────

export const AzureSignInRequest = z
  .object({
    cloud: AzureCloud.default('public'),
    method: z.enum(['device-code', 'azure-cli']).default('device-code'),
  })
  .strict();

/** A sign-in as it goes: the device code to show, then signed in or failed. */
export const AzureSignInModel = z.object({
  signInId: z.string(),
  method: z.enum(['device-code', 'azure-cli']),
  state: z.enum(['starting', 'waiting-for-user', 'signed-in', 'failed']),
  userCode: z.string().nullable(),
  verificationUri: z.string().nullable(),
  message: z.string().nullable(),
  failure: ErrorShape.nullable(),
});
export type AzureSignInModel = z.infer<typeof AzureSignInModel>;

export const AzureNamed = z.object({ id: z.string(), name: z.string(), location: z.string().nullable() });
export type AzureNamed = z.infer<typeof AzureNamed>;

export const AzureDeployRequest = z
  .object({
    subscriptionId: AzureSubscriptionId,
    resourceGroup: AzureResourceGroup,
    location: AzureLocation.describe('where new resources are created'),
    plan: AzurePlanName,
    site: AzureSiteName,
    image: ImageRef.describe('the image App Service pulls, e.g. docker.io/user/notas-iv:latest'),
    /** The local image whose config says which port it listens on (defaults to `image`). */
    localImage: ImageRef.optional(),
    /** For a private registry: App Service pulls with these (stored as DOCKER_REGISTRY_SERVER_* settings). */
    registry: z
      .object({
        url: z.string().url('give the registry URL, e.g. https://myregistry.azurecr.io'),
        username: z.string().min(1),
        password: z.string().min(1),
      })
      .strict()
      .optional(),
    /** Overrides the port read from the image. */
    port: z.number().int().min(1).max(65535).optional(),
    /** Deploy although the local image has not passed "Run as Azure" in this session: the user's deliberate choice. */
    overrideParity: z.boolean().default(false),
  })
  .strict();
export type AzureDeployRequest = z.infer<typeof AzureDeployRequest>;

// ───────────────────────────── The deploy model ─────────────────────────────

export const DeployStep = z.object({
  name: z.string(),
  state: z.enum(['waiting', 'running', 'done', 'skipped', 'failed']),
  detail: z.string().nullable(),
});
export type DeployStep = z.infer<typeof DeployStep>;

/**
 * A deploy as it goes: its steps, the platform's own output (Heroku's release output, App Service's
 * container log) and, once it has succeeded, the app's URL. `tailing` stays true while the log stream
 * is still followed after the deploy itself has finished.
 */
export const DeployModel = z.object({
  deployId: z.string(),
  platform: z.enum(['heroku', 'azure']),
  target: z.string(),
  state: z.enum(['running', 'succeeded', 'failed']),
  steps: z.array(DeployStep),
  output: z.array(z.string()),
  url: z.string().nullable(),
  tailing: z.boolean(),
  failure: ErrorShape.nullable(),
});
export type DeployModel = z.infer<typeof DeployModel>;

/** Whether a deploy model will not change any more. */
export const deployEnded = (model: DeployModel): boolean => model.state !== 'running' && !model.tailing;

// ───────────────────────────── Procedures and streams ─────────────────────────────

const Ok = z.object({ ok: z.literal(true) });
const None = z.object({}).strict();
const DeployId = z.object({ deployId: RunId }).strict();

/** The deploy procedures; procedures.ts spreads them into the one list. */
export const deployProcedures = {
  /** Where deploys go now, which BERTH_* variables overrode a default, and which were refused. */
  'deploy.endpoints': { input: None, output: DeployEndpoints },
  'deploy.cancel': { input: DeployId, output: Ok },

  /** Checks the key with GET /account; keeps it for the session, or in the secret store with `remember`. */
  'heroku.signIn': { input: HerokuSignIn, output: z.object({ email: z.string() }) },
  'heroku.status': {
    input: None,
    output: z.object({ signedIn: z.boolean(), email: z.string().nullable(), remembered: z.boolean() }),
  },
  'heroku.signOut': { input: None, output: Ok },
  'heroku.apps': { input: None, output: z.array(HerokuApp) },
  'heroku.createApp': { input: z.object({ name: HerokuAppName }).strict(), output: HerokuApp },
  'heroku.checkYml': { input: z.object({ contextDir: FolderPath }).strict(), output: HerokuYmlCheck },
  'heroku.deploy': { input: HerokuDeployRequest, output: z.object({ deployId: z.string() }) },

  /** Starts a sign-in; follow it on the azureSignIn stream (it carries the device code to show). */
  'azure.signIn': { input: AzureSignInRequest, output: z.object({ signInId: z.string() }) },
  'azure.status': {
    input: None,
    output: z.object({
      signedIn: z.boolean(),
      method: z.enum(['device-code', 'azure-cli']).nullable(),
      cloud: AzureCloud,
      cliAvailable: z.boolean(),
    }),
  },
  'azure.signOut': { input: None, output: Ok },
  'azure.subscriptions': { input: None, output: z.array(AzureNamed) },
  'azure.resources': {
    input: z.object({ subscriptionId: AzureSubscriptionId }).strict(),
    output: z.object({ groups: z.array(AzureNamed), plans: z.array(AzureNamed), sites: z.array(AzureNamed) }),
  },
  'azure.deploy': { input: AzureDeployRequest, output: z.object({ deployId: z.string() }) },
} as const;

export const deployStreams = {
  /** The sign-in as it goes: first the device code to show, then signed in or failed. */
  azureSignIn: { params: z.object({ signInId: RunId }).strict(), event: AzureSignInModel },
  /** The whole deploy model, re-sent as it changes, until it has ended and its log tail too. */
  deploy: { params: DeployId, event: DeployModel },
} as const;
