export { Deploys, type DeploysOptions } from './deploys';
export { AZURE_CLOUDS, endpointsView, resolveEndpoints } from './endpoints';
export { checkHerokuYml, checkHerokuYmlText } from './heroku-yml';
export { azureDeployer, herokuDeployer, pipelineDeployers } from './pipeline-deployers';
