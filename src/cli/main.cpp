#include "cli/cli.hpp"
#include "util/i18n.hpp"

int main(int argc, char** argv)
{
    secretscan::init_messages();
    return secretscan::cli::run(argc, argv);
}
