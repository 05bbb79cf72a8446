export {
  type DockerfileArg,
  type DockerfileInstruction,
  type DockerfileStage,
  findStage,
  METADATA_KEYWORDS,
  type ParsedDockerfile,
  parseDockerfile,
} from './parse';
